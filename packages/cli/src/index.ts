// Command line
export { runCli } from './cli.js';
// Demo
export type { DemoOptions } from './demo.js';
export { runDemo } from './demo.js';
export type { DemoService } from './demo-service.js';
export { startDemoService } from './demo-service.js';
export type { CliIo } from './io.js';
export { EXIT, processIo, UsageError } from './io.js';
