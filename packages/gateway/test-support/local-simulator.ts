// The ESPM simulator for a test: in-process, on a free local port.
import type { Simulator, StartOptions } from '@gaz-espm/espm-simulator';
import { startSimulator } from '@gaz-espm/espm-simulator';

/**
 * Request bodies are checked against the XSDs by the simulator's own tests; here that costs ~150 ms a
 * request (a wasm instance each time) and would dominate the run.
 */
export function startLocalSimulator(options: StartOptions = {}): Promise<Simulator> {
  return startSimulator({ host: '127.0.0.1', port: 0, validateRequests: false, ...options });
}
