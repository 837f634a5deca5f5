import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/temp-dir.ts';

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

describe("undici's HTTP parser", () => {
  it('stays baseline WebAssembly through a long download: never recompiled by the optimising compiler', () => {
    // 16 MiB in 16 KiB writes is far past V8's default budget, where the parser used to be recompiled
    // (22 MB of compiler memory). The second run reads every module from the compile cache, so Node's
    // type stripper (WebAssembly too) does not run and every compilation traced is undici's.
    const script = `
      import { createServer } from 'node:http';
      const { createHttpClient } = await import(${JSON.stringify(httpClient)});
      const chunk = Buffer.alloc(16384, 1);
      const total = 16 * 2 ** 20;
      const server = createServer((request, response) => {
        response.setHeader('content-length', total);
        let sent = 0;
        const pump = () => {
          while (sent < total) {
            sent += chunk.length;
            if (!response.write(chunk)) return response.once('drain', pump);
          }
          response.end();
        };
        pump();
      });
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const http = createHttpClient({ retry: { attempts: 1 } });
      const response = await http.request({ url: 'http://127.0.0.1:' + server.address().port + '/' });
      let received = 0;
      for await (const part of response.body) received += part.length;
      await http.close();
      server.close();
      console.log('received ' + received);
    `;
    const cache = tempDir('vigil-wasm-tiering-');
    const run = () =>
      execFileSync(process.execPath, ['--trace-wasm-compilation-times', '--input-type=module', '-e', script], {
        encoding: 'utf8',
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        env: { ...process.env, NODE_COMPILE_CACHE: cache },
      });
    run();
    const traced = run();
    assert.match(traced, /^received 16777216$/m);
    assert.match(traced, /using Liftoff/, 'the parser was compiled and traced');
    assert.doesNotMatch(traced, /using TurboFan/);
  });
});
