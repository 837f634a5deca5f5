import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const httpClient = fileURLToPath(new URL('../../src/net/index.ts', import.meta.url));

/** Runs `body` in a fresh Node process and returns which undici files it had loaded by the end. */
function undiciFilesLoadedBy(body: string): string[] {
  const script = `
    import { createRequire } from 'node:module';
    import { createServer } from 'node:http';
    const { createHttpClient } = await import(${JSON.stringify(httpClient)});
    ${body}
    const loaded = Object.keys(createRequire(import.meta.url).cache)
      .filter((path) => path.includes('/node_modules/undici/'))
      .map((path) => path.slice(path.indexOf('/node_modules/undici/') + '/node_modules/undici/'.length));
    process.stdout.write(JSON.stringify(loaded));
  `;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
  });
  return JSON.parse(output) as string[];
}

describe('loading undici', () => {
  it('a direct request loads the agent and its request call, not the entry point with fetch and WebSocket', () => {
    const loaded = undiciFilesLoadedBy(`
      const server = createServer((request, response) => response.end('ok'));
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const http = createHttpClient({ retry: { attempts: 1 } });
      const response = await http.request({ url: 'http://127.0.0.1:' + server.address().port + '/' });
      if ((await response.text()) !== 'ok') throw new Error('unexpected body');
      await http.close();
      server.close();
    `);
    assert.ok(loaded.includes('lib/dispatcher/agent.js'), loaded.join(', '));
    assert.ok(loaded.includes('lib/api/api-request.js'));
    assert.equal(loaded.includes('index.js'), false);
    assert.equal(
      loaded.some((path) => path.startsWith('lib/web/')),
      false,
    );
  });

  it('an offline client loads none of it', () => {
    const loaded = undiciFilesLoadedBy(`
      const http = createHttpClient({ offline: true });
      await http.request({ url: 'https://registry.example/v2/' }).catch(() => undefined);
    `);
    assert.deepEqual(loaded, []);
  });
});
