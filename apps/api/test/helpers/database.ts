import { freshPostgres as fresh, type FreshPostgres } from '@padim/db/testing';

/** A fresh, migrated PostgreSQL database for one test file; `drop()` removes it. */
export function freshPostgres(): Promise<FreshPostgres> {
  return fresh('padim_api');
}
