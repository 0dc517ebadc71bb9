#!/usr/bin/env node
// Generates the API reference in docs/api from the TSDoc comments of every publishable package
// (each package's src/index.ts). A public signature that uses an unexported type, or a broken
// {@link}, fails the run; other TypeDoc warnings (such as a README link to a folder) are printed
// only.
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
  validation: { notExported: true, invalidLink: true, notDocumented: false },
});

// TypeDoc words these two problems so (0.28): "X, defined in ..., is referenced by Y but not
// included in the documentation" and "Failed to resolve link to ...".
const FATAL_WARNINGS = [
  /is referenced by .* but not included in the documentation/,
  /resolve link/,
];
const fatal = [];
const warn = app.logger.warn.bind(app.logger);
app.logger.warn = (message, ...rest) => {
  if (FATAL_WARNINGS.some((pattern) => pattern.test(String(message)))) fatal.push(message);
  warn(message, ...rest);
};

const project = await app.convert();
if (!project || app.logger.hasErrors() || fatal.length > 0) {
  console.error('TypeDoc found unexported or unresolved types; see the warnings above.');
  process.exit(1);
}
await app.generateDocs(project, join(root, 'docs', 'api'));
if (app.logger.hasErrors() || fatal.length > 0) process.exit(1);
console.log(`API reference for ${packages.map((pkg) => pkg.name).join(', ')} in docs/api.`);
