import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigFile } from '../../src/cli/config-file.ts';
import { cacheDirOption, noProgressOption, timeoutOption } from '../../src/cli/global-options.ts';
import { defineOption, envVarName } from '../../src/cli/option-spec.ts';
import type { OptionSources } from '../../src/cli/resolve-options.ts';
import { resolveOption, unknownConfigKeys } from '../../src/cli/resolve-options.ts';
import { VigilError } from '../../src/errors/index.ts';

const config = (values: Record<string, unknown>): ConfigFile => ({ path: '/etc/vigil.yaml', values });
const sources = (partial: Partial<OptionSources>): OptionSources => ({
  flags: new Map(),
  env: {},
  config: undefined,
  ...partial,
});

const repositories = defineOption({
  name: 'db-repository',
  kind: 'list',
  description: 'test',
  group: 'test',
  configPaths: ['db.repository'],
  defaultValue: () => ['default/one', 'default/two'],
});
const skipDbUpdate = defineOption({
  name: 'skip-db-update',
  kind: 'boolean',
  description: 'test',
  group: 'test',
  aliases: ['skip-update'],
  defaultValue: () => false,
});

describe('option precedence: flag > env > config file > default', () => {
  const all = {
    flags: new Map([['cache-dir', '/from/flag']]),
    env: { VIGIL_CACHE_DIR: '/from/env' },
    config: config({ 'cache-dir': '/from/config' }),
  };

  it('takes the flag over everything', () => {
    const resolved = resolveOption(cacheDirOption, sources(all));
    assert.deepEqual([resolved.value, resolved.source], ['/from/flag', 'flag']);
  });

  it('takes the environment over the config file and the default', () => {
    const resolved = resolveOption(cacheDirOption, sources({ ...all, flags: new Map() }));
    assert.deepEqual([resolved.value, resolved.source], ['/from/env', 'env']);
  });

  it('takes the config file over the default', () => {
    const resolved = resolveOption(cacheDirOption, sources({ config: all.config }));
    assert.deepEqual([resolved.value, resolved.source], ['/from/config', 'config']);
  });

  it('falls back to the default, computed from the environment given', () => {
    assert.equal(resolveOption(cacheDirOption, sources({ env: { HOME: '/home/u' } })).value, '/home/u/.cache/vigil');
    assert.equal(
      resolveOption(cacheDirOption, sources({ env: { HOME: '/home/u', XDG_CACHE_HOME: '/xdg' } })).value,
      '/xdg/vigil',
    );
  });

  it('applies the same order to durations', () => {
    const layers = {
      flags: new Map([['timeout', '30s']]),
      env: { VIGIL_TIMEOUT: '2m' },
      config: config({ timeout: '1h' }),
    };
    assert.equal(resolveOption(timeoutOption, sources(layers)).value, 30_000);
    assert.equal(resolveOption(timeoutOption, sources({ ...layers, flags: new Map() })).value, 120_000);
    assert.equal(resolveOption(timeoutOption, sources({ config: layers.config })).value, 3_600_000);
    assert.equal(resolveOption(timeoutOption, sources({})).value, 300_000);
  });

  it('applies the same order to lists, splitting commas in every layer', () => {
    const layers = {
      flags: new Map([['db-repository', ['a/x,b/y', 'c/z']]]),
      env: { VIGIL_DB_REPOSITORY: 'env/one, env/two' },
      config: config({ 'db-repository': ['cfg/one', 'cfg/two'] }),
    };
    assert.deepEqual(resolveOption(repositories, sources(layers)).value, ['a/x', 'b/y', 'c/z']);
    assert.deepEqual(resolveOption(repositories, sources({ ...layers, flags: new Map() })).value, [
      'env/one',
      'env/two',
    ]);
    assert.deepEqual(resolveOption(repositories, sources({ config: layers.config })).value, ['cfg/one', 'cfg/two']);
    assert.deepEqual(resolveOption(repositories, sources({})).value, ['default/one', 'default/two']);
  });
});

describe('option sources', () => {
  it('names the environment variable after the flag', () => {
    assert.equal(envVarName('cache-dir'), 'VIGIL_CACHE_DIR');
    assert.equal(envVarName('skip-db-update'), 'VIGIL_SKIP_DB_UPDATE');
  });

  it('reads booleans from the environment by value, so VIGIL_X=false means false', () => {
    assert.equal(resolveOption(noProgressOption, sources({ env: { VIGIL_NO_PROGRESS: 'false' } })).value, false);
    assert.equal(resolveOption(noProgressOption, sources({ env: { VIGIL_NO_PROGRESS: '1' } })).value, true);
    assert.equal(resolveOption(noProgressOption, sources({ env: { VIGIL_NO_PROGRESS: 'TRUE' } })).value, true);
  });

  it('ignores empty environment variables', () => {
    assert.equal(resolveOption(timeoutOption, sources({ env: { VIGIL_TIMEOUT: '' } })).source, 'default');
  });

  it('accepts aliases as flags, environment variables and config keys', () => {
    assert.equal(resolveOption(skipDbUpdate, sources({ flags: new Map([['skip-update', true]]) })).value, true);
    assert.equal(resolveOption(skipDbUpdate, sources({ env: { VIGIL_SKIP_UPDATE: 'true' } })).value, true);
    assert.equal(resolveOption(skipDbUpdate, sources({ config: config({ 'skip-update': true }) })).value, true);
  });

  it("accepts Trivy's nested config keys", () => {
    const resolved = resolveOption(cacheDirOption, sources({ config: config({ cache: { dir: '/trivy/style' } }) }));
    assert.equal(resolved.value, '/trivy/style');
    const list = resolveOption(repositories, sources({ config: config({ db: { repository: 'r1,r2' } }) }));
    assert.deepEqual(list.value, ['r1', 'r2']);
  });

  it('rejects a malformed value with a usage error naming where it came from', () => {
    assert.throws(
      () => resolveOption(timeoutOption, sources({ env: { VIGIL_TIMEOUT: 'soon' } })),
      (error: unknown) =>
        error instanceof VigilError &&
        error.exitCode === 2 &&
        error.message.includes('--timeout') &&
        error.message.includes('VIGIL_TIMEOUT'),
    );
    assert.throws(
      () => resolveOption(noProgressOption, sources({ config: config({ 'no-progress': 'maybe' }) })),
      (error: unknown) => error instanceof VigilError && error.message.includes('/etc/vigil.yaml'),
    );
    assert.throws(() => resolveOption(cacheDirOption, sources({ config: config({ 'cache-dir': ['a'] }) })), VigilError);
  });

  it('reports config keys that no option answers to', () => {
    const file = config({ 'cache-dir': '/x', 'cache-dri': '/typo', cache: { dir: '/y' } });
    assert.deepEqual(unknownConfigKeys(file, [cacheDirOption]), ['cache-dri']);
  });
});
