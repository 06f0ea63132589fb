'use client';
import { useRouter } from 'next/navigation';
import { useCallback, useState } from 'react';
import { DatasetImages } from './DatasetImages';
import { ImageUploader } from './ImageUploader';

/** The uploader and the thumbnails: a finished upload batch reloads the thumbnails and the counts. */
export function DatasetWorkspace({ datasetId, canEdit }: { datasetId: string; canEdit: boolean }) {
  const router = useRouter();
  const [version, setVersion] = useState(0);
  const onBatchDone = useCallback(
    (uploaded: number) => {
      if (uploaded === 0) return;
      setVersion((v) => v + 1);
      router.refresh();
    },
    [router],
  );
  return (
    <>
      {canEdit && <ImageUploader datasetId={datasetId} onBatchDone={onBatchDone} />}
      <DatasetImages datasetId={datasetId} version={version} />
    </>
  );
}
