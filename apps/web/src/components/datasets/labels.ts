import type { ImageLabel } from '@/gql/graphql';

export const IMAGE_LABELS = ['GOOD', 'DEFECT', 'UNKNOWN'] as const satisfies readonly ImageLabel[];

export const LABEL_TEXT: Record<ImageLabel, string> = {
  GOOD: 'Good',
  DEFECT: 'Defect',
  UNKNOWN: 'Unknown',
};
