import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { ObjectStore } from '@padim/storage';

/** DI token of the process-wide ObjectStore; services wrap it in a TenantObjectStore per call. */
export const OBJECT_STORE = Symbol('OBJECT_STORE');

/** Provides the object store opened at start-up (`openApiObjectStore`, or one a test injects). */
@Global()
@Module({})
export class StorageModule {
  static forRoot(store: ObjectStore): DynamicModule {
    return {
      module: StorageModule,
      providers: [{ provide: OBJECT_STORE, useValue: store }],
      exports: [OBJECT_STORE],
    };
  }
}
