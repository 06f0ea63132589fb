'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { InspectionViewFieldsFragment } from '@/gql/graphql';
import { DEFAULT_OVERLAY, InspectionViewer, type OverlayState } from './InspectionViewer';
import { shortcutBlocked } from './keys';

/** The viewer on the detail page: its own overlay state and the H / B shortcuts. */
export function InspectionDetailViewer({
  inspection,
  alt,
}: {
  inspection: InspectionViewFieldsFragment;
  alt: string;
}) {
  const router = useRouter();
  const [overlay, setOverlay] = useState<OverlayState>(DEFAULT_OVERLAY);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (shortcutBlocked(event)) return;
      const key = event.key.toLowerCase();
      if (key === 'h') setOverlay((o) => ({ ...o, heatmap: !o.heatmap }));
      else if (key === 'b') setOverlay((o) => ({ ...o, regions: !o.regions }));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <InspectionViewer
      inspection={inspection}
      alt={alt}
      overlay={overlay}
      onOverlayChange={setOverlay}
      size="medium"
      // Fresh presigned URLs come with a fresh render of the page.
      onImageError={() => router.refresh()}
    />
  );
}
