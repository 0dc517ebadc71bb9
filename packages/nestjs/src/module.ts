import {
  type ConfigurableModuleAsyncOptions,
  ConfigurableModuleBuilder,
  Module,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { RememAuthExceptionFilter } from './exception-filter.js';
import { RememAuthGuard } from './guard.js';
import { type RememAuthModuleOptions, resolveSettings } from './options.js';
import { REMEM_AUTH_SETTINGS } from './tokens.js';

/** Options of `forRoot()` and `forRootAsync()` that shape the module itself. */
export interface RememAuthModuleExtras {
  /** Register the module globally, so every module can use `RememAuthGuard`. Default false. */
  isGlobal?: boolean;
  /** Apply `RememAuthGuard` to every route of the application (`APP_GUARD`). Default false. */
  globalGuard?: boolean;
}

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } =
  new ConfigurableModuleBuilder<RememAuthModuleOptions>({ moduleName: 'RememAuth' })
    .setClassMethodName('forRoot')
    .setExtras<RememAuthModuleExtras>({ isGlobal: false, globalGuard: false }, (module, extras) => {
      const providers: Provider[] = [...(module.providers ?? [])];
      if (extras.globalGuard === true) {
        providers.push({ provide: APP_GUARD, useExisting: RememAuthGuard });
      }
      return { ...module, global: extras.isGlobal === true, providers };
    })
    .build();

// Written out instead of `typeof OPTIONS_TYPE` so the API reference can name every part.
/** The argument of `RememAuthModule.forRoot()`. */
export type RememAuthModuleRootOptions = RememAuthModuleOptions & Partial<RememAuthModuleExtras>;
/** The argument of `RememAuthModule.forRootAsync()`. */
export type RememAuthModuleAsyncOptions = ConfigurableModuleAsyncOptions<
  RememAuthModuleOptions,
  'create'
> &
  Partial<RememAuthModuleExtras>;

/**
 * The remem-auth module: builds one verifier from the options (or the `REMEM_AUTH_*` environment)
 * and provides `RememAuthGuard` and the exception filter that sends failures as the core renders
 * them. Import it once, in the root module, with `forRoot(options)` or
 * `forRootAsync({ imports, inject, useFactory })`.
 *
 * @throws {AuthConfigError} while the application starts, for an invalid option.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [RememAuthModule.forRoot({ isGlobal: true, globalGuard: true })],
 *   controllers: [NotesController],
 * })
 * class AppModule {}
 * ```
 */
@Module({
  providers: [
    { provide: REMEM_AUTH_SETTINGS, useFactory: resolveSettings, inject: [MODULE_OPTIONS_TOKEN] },
    RememAuthGuard,
    { provide: APP_FILTER, useClass: RememAuthExceptionFilter },
  ],
  exports: [REMEM_AUTH_SETTINGS, RememAuthGuard],
})
export class RememAuthModule extends ConfigurableModuleClass {}
