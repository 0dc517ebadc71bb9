// Entry point for Node, Bun and Deno: the fixture comes as base64 JSON in the first argument,
// and the counts go to stdout as one JSON line.
import type { Fixture } from './fixture.js';
import { runSuite } from './suite.js';

declare const Deno: { args: string[]; version: { deno: string } } | undefined;
declare const Bun: { version: string } | undefined;

let runtime = 'node';
if (typeof Deno !== 'undefined') runtime = 'deno';
else if (typeof Bun !== 'undefined') runtime = 'bun';
const argument =
  typeof Deno !== 'undefined'
    ? Deno.args[0]
    : (globalThis as { process?: { argv: string[] } }).process?.argv[2];
const fixture = JSON.parse(atob(argument ?? '')) as Fixture;

console.log(JSON.stringify(await runSuite(fixture, runtime)));
