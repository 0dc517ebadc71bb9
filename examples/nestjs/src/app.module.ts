import { type DynamicModule, Module } from '@nestjs/common';
import { type ErrorFormat, loadAuthConfig } from '@remem/auth-core';
import { RememAuthModule } from '@remem/auth-nestjs';
import { ModelsController, NotesController } from './notes.controller.js';

/** The environment the service reads: the `REMEM_AUTH_*` variables and `ERROR_FORMAT`. */
export type Environment = Record<string, string | undefined>;

/** The service's root module; {@link configureApp} gives it its imports and controllers. */
@Module({})
export class AppModule {}

/**
 * Configures the root module from `env`: the guard protects every route (`globalGuard`), and
 * `ERROR_FORMAT=openai` reports failures as the OpenAI API does.
 */
export function configureApp(env: Environment): DynamicModule {
  return {
    module: AppModule,
    imports: [
      RememAuthModule.forRootAsync({
        useFactory: () => ({
          config: loadAuthConfig(env),
          format: (env.ERROR_FORMAT ?? 'default') as ErrorFormat,
        }),
        isGlobal: true,
        globalGuard: true,
      }),
    ],
    controllers: [NotesController, ModelsController],
  };
}
