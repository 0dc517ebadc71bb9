// Installs every publishable package from its packed tarball into a fresh project outside the
// workspace and loads each one as a user would. It imports the package from ESM, requires it
// from CommonJS (require(esm), Node 20.19+), and compiles the package's consumer example with
// tsc and module nodenext, then runs it. One npm install serves all packages, so the tarballs
// resolve each other and only third-party dependencies come from the registry.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import rootManifest from '../../../package.json' with { type: 'json' };
import {
  buildWorkspace,
  packPackage,
  publicPackages,
  runOrThrow,
} from '../../../scripts/lib/workspace-packages.mjs';

const root = resolve(import.meta.dirname, '../../..');
const packages = publicPackages(root);
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let project = '';

function node(args: string[]) {
  const result = spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeLoaders(name: string, folder: string) {
  const dir = join(project, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'load.mjs'),
    `const loaded = await import(${JSON.stringify(name)});\n` +
      `console.log(JSON.stringify({ names: Object.keys(loaded).sort(), ` +
      `file: import.meta.resolve(${JSON.stringify(name)}) }));\n`,
  );
  writeFileSync(
    join(dir, 'load.cjs'),
    `const loaded = require(${JSON.stringify(name)});\n` +
      `console.log(JSON.stringify({ names: Object.keys(loaded).sort(), ` +
      `file: require.resolve(${JSON.stringify(name)}) }));\n`,
  );
  // A CommonJS TypeScript consumer: tsc 6 with module nodenext types require(esm).
  writeFileSync(
    join(dir, 'require.cts'),
    `import loaded = require(${JSON.stringify(name)});\n` +
      'export const names: string[] = Object.keys(loaded);\n',
  );
}

// What a user installs beside a package but npm does not install for them, such as an optional
// peer dependency with types, from `packages/<name>/consumer/package.json` `dependencies`.
function extras(): string[] {
  return packages.flatMap((pkg) => {
    const file = join(root, 'packages', pkg.folder, 'consumer', 'package.json');
    if (!existsSync(file)) return [];
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    return Object.entries(manifest.dependencies ?? {}).map(([name, range]) => `${name}@${range}`);
  });
}

function exampleFixture(folder: string) {
  return join(root, 'packages', folder, 'consumer', 'example.ts');
}

beforeAll(() => {
  buildWorkspace(root);
  project = mkdtempSync(join(tmpdir(), 'remem-auth-consumer-'));
  const tarballs = packages.map((pkg) => packPackage(pkg, project));
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  const typesNode = `@types/node@${rootManifest.devDependencies['@types/node']}`;
  runOrThrow(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, typesNode, ...extras()],
    { cwd: project },
  );

  for (const pkg of packages) {
    writeLoaders(pkg.name, pkg.folder);
    if (existsSync(exampleFixture(pkg.folder))) {
      copyFileSync(exampleFixture(pkg.folder), join(project, pkg.folder, 'example.ts'));
    }
  }
  const tsconfig = {
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      skipLibCheck: false,
      // The NestJS example uses decorators, compiled as every Nest application compiles them.
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      types: ['node'],
      outDir: 'dist',
      rootDir: '.',
    },
    include: ['*/**/*.ts', '*/**/*.cts'],
    exclude: ['node_modules', 'dist'],
  };
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('packed packages', () => {
  it('finds the publishable packages', () => {
    expect(packages.length).toBeGreaterThan(0);
  });

  // tsc also checks every declaration file installed (skipLibCheck is off), which took 10 s on
  // an idle machine and over 60 s on a loaded one.
  it('compiles the consumers with tsc nodenext', { timeout: 300_000 }, () => {
    const result = node([tsc, '-p', 'tsconfig.json']);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  describe.each(packages)('$name', ({ name, folder }) => {
    it('loads with import from the install', () => {
      const result = node([join(folder, 'load.mjs')]);
      expect(result.status, result.stderr).toBe(0);
      const loaded = JSON.parse(result.stdout);
      expect(loaded.names.length).toBeGreaterThan(0);
      expect(loaded.file).toContain(`${project}/node_modules/${name}/dist/`);
    });

    it('loads with require through require(esm)', () => {
      const esm = JSON.parse(node([join(folder, 'load.mjs')]).stdout);
      const result = node([join(folder, 'load.cjs')]);
      expect(result.status, result.stderr).toBe(0);
      const loaded = JSON.parse(result.stdout);
      expect(loaded.names).toEqual(esm.names);
      expect(loaded.file).toContain(`${project}/node_modules/${name}/dist/`);
    });

    it('runs the compiled CommonJS consumer', () => {
      const result = node([join('dist', folder, 'require.cjs')]);
      expect(result.status, result.stderr).toBe(0);
    });

    it('runs the README example from consumer/example.ts', { timeout: 60_000 }, () => {
      expect(existsSync(exampleFixture(folder)), `add packages/${folder}/consumer/example.ts`).toBe(
        true,
      );
      const result = node([join('dist', folder, 'example.js')]);
      expect(result.status, result.stderr).toBe(0);
    });
  });
});
