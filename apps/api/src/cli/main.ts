import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { loadConfig } from '../config/load-config.js';
import { processOutput } from './cli-output.js';
import { runCli } from './run-cli.js';

// The same configuration as the server's main: .env, then the environment (which wins).
if (existsSync('.env')) process.loadEnvFile('.env');
process.exitCode = await runCli(process.argv.slice(2), () => loadConfig(process.env), processOutput);
