/** Product model names for the inspection pages (server side: `query` reads the session cookie). */
import { graphql } from '@/gql';
import type { InspectionsProductModelsQuery } from '@/gql/graphql';
import { query } from '@/lib/server';

const InspectionsProductModels = graphql(`
  query InspectionsProductModels($after: String) {
    productModels(first: 100, after: $after) {
      edges {
        node {
          id
          name
          cameraPose
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`);

export interface ProductModelOption {
  id: string;
  /** The name, with the camera pose when it is not the default one. */
  label: string;
}

/** Enough pages for any real plant; names of models beyond fall back to their ids. */
const MAX_PAGES = 5;

export async function productModelOptions(): Promise<ProductModelOption[]> {
  const options: ProductModelOption[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { productModels }: InspectionsProductModelsQuery = await query(InspectionsProductModels, {
      after,
    });
    for (const { node } of productModels.edges)
      options.push({
        id: node.id,
        label: node.cameraPose === 'default' ? node.name : `${node.name} (${node.cameraPose})`,
      });
    if (!productModels.pageInfo.hasNextPage) break;
    after = productModels.pageInfo.endCursor;
  }
  return options.sort((a, b) => a.label.localeCompare(b.label));
}
