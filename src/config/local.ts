/** Settings of the commands that run everything on this machine: `idv emulator` and `idv demo`. */
import type { Reader } from './reader.js';
import { readLogLevel } from './worker.js';

export interface EmulatorSettings {
  readonly port: number;
  readonly host: string;
  /** Comma-separated chaos modes; the emulator parses them (it owns the list). */
  readonly chaos: string | undefined;
}

export interface DemoSettings {
  readonly dataDir: string;
  /** Preferred ports; a taken port falls back to a free one. */
  readonly ports: { readonly demo: number; readonly service: number; readonly emulator: number };
  readonly logLevel: string;
}

/** The emulator's own defaults are passed in: config/ does not import the emulator. */
export function readEmulator(read: Reader, defaults: { port: number; host: string }): EmulatorSettings {
  return {
    port: read.int('--port', defaults.port, 0, 65535),
    host: read.string('--host', defaults.host)!,
    chaos: read.string('--chaos'),
  };
}

export function readDemo(read: Reader, defaults: { emulatorPort: number }): DemoSettings {
  return {
    dataDir: read.string('--data', './data')!,
    ports: {
      demo: read.int('--port', 4243, 0, 65535),
      service: read.int('--service-port', 4242, 0, 65535),
      emulator: read.int('--emulator-port', defaults.emulatorPort, 0, 65535),
    },
    // The demo prints its own summary; the service's info lines would bury it.
    logLevel: readLogLevel(read, 'warn'),
  };
}
