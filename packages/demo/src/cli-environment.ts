// The lines `npm start` prints for pointing the CLI at the demo from another terminal: the demo keeps its
// store in its own data directory (not the CLI's default ./data) and its ESPM is the simulator, whose
// provider account the CLI must sign in with.

export interface DemoEndpoints {
  dataDir: string;
  espm: { baseUrl: string; username: string; password: string };
}

/** `export NAME='value'` lines, quoted for any POSIX shell whatever the values hold. */
export function cliEnvironment(demo: DemoEndpoints): string[] {
  const vars: Array<[string, string]> = [
    ['GATEWAY_DATA_DIR', demo.dataDir],
    ['ESPM_BASE_URL', demo.espm.baseUrl],
    ['ESPM_USERNAME', demo.espm.username],
    ['ESPM_PASSWORD', demo.espm.password],
  ];
  return vars.map(([name, value]) => `export ${name}=${shellQuote(value)}`);
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
