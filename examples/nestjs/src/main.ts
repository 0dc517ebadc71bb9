import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { configureApp } from './app.module.js';

// The configuration comes from the REMEM_AUTH_* variables of the process.
const app = await NestFactory.create(configureApp(process.env));
app.enableShutdownHooks();

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);
await app.listen(port, host);
console.log(`Listening on http://${host}:${port}`);
