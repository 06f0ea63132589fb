'use client';
import { FormError } from '@/components/FormError';
import { PAPER_RD, backboneEmbeddingSize, type BackboneName } from '@padim/core/backbones';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import type { ModelTrainingJobFieldsFragment } from '@/gql/graphql';
import { errorMessage, mutate } from '@/lib/client';
import { newIdempotencyKey } from './idempotency';
import styles from './models.module.css';
import { ModelTrainMutation } from './operations';

type Backbone = 'RESNET18' | 'WIDE_RESNET50_2';
type Weights = 'IMAGENET' | 'RANDOM_INIT';

/** The paper's Rd defaults and the embedding size each backbone's layer1..3 give (from core). */
function spec(label: string, name: BackboneName): { label: string; d: number; max: number } {
  const max = backboneEmbeddingSize(name);
  return { label: `${label} (${max} dims)`, d: PAPER_RD[name], max };
}
const BACKBONES: Record<Backbone, { label: string; d: number; max: number }> = {
  RESNET18: spec('ResNet18', 'resnet18'),
  WIDE_RESNET50_2: spec('Wide-ResNet50-2', 'wide_resnet50_2'),
};

/** Starts a FULL training job: a snapshot of the chosen dataset is taken and fitted. ENGINEER+. */
export function TrainForm({
  productModelId,
  datasets,
  onStarted,
}: {
  productModelId: string;
  datasets: readonly { id: string; name: string }[];
  onStarted: (job: ModelTrainingJobFieldsFragment) => void;
}) {
  const [backbone, setBackbone] = useState<Backbone>('RESNET18');
  const [weights, setWeights] = useState<Weights>('IMAGENET');
  const [d, setD] = useState<string>(String(BACKBONES.RESNET18.d));
  const [dTouched, setDTouched] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [key, setKey] = useState(() => newIdempotencyKey('train'));

  if (datasets.length === 0)
    return (
      <p className="muted">
        Training needs a dataset with at least 3 good images: create one under{' '}
        <Link href="#datasets">Datasets</Link> and upload images to it.
      </p>
    );

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const percent = (name: string) => Number(data.get(name)) / 100;
    setPending(true);
    setError(null);
    try {
      const r = await mutate(ModelTrainMutation, {
        input: {
          productModelId,
          datasetId: String(data.get('datasetId')),
          backbone,
          weights,
          d: Number(d),
          seed: Number(data.get('seed')),
          holdoutFraction: percent('holdout'),
          targetFalseAlarmRate: percent('far'),
          idempotencyKey: key,
        },
      });
      setKey(newIdempotencyKey('train'));
      onStarted(r.trainModel);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }

  const spec = BACKBONES[backbone];
  return (
    <form className="stack" onSubmit={onSubmit} aria-labelledby="train-title">
      <div className={styles.fields}>
        <label>
          Dataset
          <select name="datasetId" required defaultValue={datasets[0]!.id}>
            {datasets.map((ds) => (
              <option key={ds.id} value={ds.id}>
                {ds.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Backbone
          <select
            name="backbone"
            value={backbone}
            onChange={(e) => {
              const next = e.target.value as Backbone;
              setBackbone(next);
              if (!dTouched) setD(String(BACKBONES[next].d));
            }}
          >
            {(Object.keys(BACKBONES) as Backbone[]).map((b) => (
              <option key={b} value={b}>
                {BACKBONES[b].label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Weights
          <select
            name="weights"
            value={weights}
            onChange={(e) => setWeights(e.target.value as Weights)}
          >
            <option value="IMAGENET">ImageNet (pretrained)</option>
            <option value="RANDOM_INIT">Random init, seeded (demo only)</option>
          </select>
        </label>
        <div className={styles.field}>
          <label>
            Dimensions kept (d)
            <input
              name="d"
              type="number"
              min={1}
              max={spec.max}
              step={1}
              required
              value={d}
              onChange={(e) => {
                setD(e.target.value);
                setDTouched(true);
              }}
              aria-describedby="train-d-hint"
            />
          </label>
          <span id="train-d-hint" className={styles.hint}>
            Random subset of {spec.max}; paper default {spec.d}
          </span>
        </div>
        <div className={styles.field}>
          <label>
            Seed
            <input
              name="seed"
              type="number"
              min={0}
              max={2147483647}
              step={1}
              defaultValue={0}
              aria-describedby="train-seed-hint"
            />
          </label>
          <span id="train-seed-hint" className={styles.hint}>
            Chooses the d dimensions
          </span>
        </div>
        <div className={styles.field}>
          <label>
            Held out for calibration (%)
            <input
              name="holdout"
              type="number"
              min={5}
              max={50}
              step={1}
              defaultValue={10}
              aria-describedby="train-holdout-hint"
            />
          </label>
          <span id="train-holdout-hint" className={styles.hint}>
            Good images not fitted: 5–50
          </span>
        </div>
        <div className={styles.field}>
          <label>
            Target false-alarm rate (%)
            <input
              name="far"
              type="number"
              min={0}
              max={50}
              step={0.1}
              defaultValue={1}
              aria-describedby="train-far-hint"
            />
          </label>
          <span id="train-far-hint" className={styles.hint}>
            Share of good parts flagged
          </span>
        </div>
      </div>
      {weights === 'RANDOM_INIT' && (
        <p className={styles.demo} role="note">
          Random-init weights are for tests and offline demos only: the features are not learned, so
          the detector is not fit for real inspection.
        </p>
      )}
      <FormError error={error} />
      <div>
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Starting…' : 'Start training'}
        </button>
      </div>
    </form>
  );
}
