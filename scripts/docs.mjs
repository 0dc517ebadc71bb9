#!/usr/bin/env node
// Generates the API reference in docs/api from the TSDoc comments of every publishable package
// (each package's src/index.ts). TypeDoc warnings fail the run, so an exported type that refers
// to an unexported one, or a broken {@link}, is caught here.
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application } from 'typedoc';
import { publicPackages } from './lib/workspace-packages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packages = publicPackages(root);

const app = await Application.bootstrapWithPlugins({
  name: 'remem-auth',
  entryPointStrategy: 'packages',
  entryPoints: packages.map((pkg) => relative(root, pkg.dir)),
  packageOptions: {
    entryPoints: ['src/index.ts'],
    tsconfig: 'tsconfig.build.json',
    excludePrivate: true,
    excludeInternal: true,
  },
  readme: join(root, 'README.md'),
  out: join(root, 'docs', 'api'),
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, notDocumented: false },
});

const project = await app.convert();
if (!project || app.logger.hasErrors() || app.logger.hasWarnings()) {
  console.error('TypeDoc reported problems; see above.');
  process.exit(1);
}
await app.generateDocs(project, join(root, 'docs', 'api'));
if (app.logger.hasErrors() || app.logger.hasWarnings()) process.exit(1);
console.log(`API reference for ${packages.map((pkg) => pkg.name).join(', ')} in docs/api.`);
