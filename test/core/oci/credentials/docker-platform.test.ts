// docker's per-OS credential rules with each platform's path module injected (CI runs on Linux only): the config
// folder (%USERPROFILE% on Windows), helpers found through PATH and PATHEXT (docker-credential-*.exe), the default store
// (osxkeychain, wincred, pass/secretservice) when config.json has no credential settings, and credsStore "desktop".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, win32 } from 'node:path';
import { dockerConfigCredentials, dockerConfigPath } from '../../../../core/oci/credentials/docker-config-file';
import { credentialHelperCommand, currentPlatform, defaultCredentialsStore, dockerConfigDir, findOnPath, type DockerPlatform } from '../../../../core/oci/credentials/docker-platform';

/** A platform whose file system holds exactly `files` (compared as that platform compares names). */
function platform(os: NodeJS.Platform, files: string[], home = os === 'win32' ? 'C:\\Users\\fallback' : '/home/fallback'): DockerPlatform {
  const path = os === 'win32' ? win32 : posix;
  const normal = (p: string) => (os === 'win32' ? p.toLowerCase() : p);
  const set = new Set(files.map(normal));
  return { os, path, homedir: () => home, isFile: (p) => set.has(normal(p)) };
}

describe('docker config location per platform', () => {
  it('Windows: %USERPROFILE%\\.docker\\config.json, backslashes, DOCKER_CONFIG first', () => {
    const windows = platform('win32', []);
    assert.equal(dockerConfigPath({ USERPROFILE: 'C:\\Users\\ana' }, windows), 'C:\\Users\\ana\\.docker\\config.json');
    assert.equal(dockerConfigPath({ HOME: '/c/Users/git-bash' }, windows), 'C:\\Users\\fallback\\.docker\\config.json', 'HOME (Git Bash) is not what docker reads on Windows');
    assert.equal(dockerConfigPath({ DOCKER_CONFIG: 'D:\\ci\\docker', USERPROFILE: 'C:\\Users\\ana' }, windows), 'D:\\ci\\docker\\config.json');
  });

  it('macOS and Linux: $HOME/.docker/config.json, else the account home folder', () => {
    assert.equal(dockerConfigPath({ HOME: '/Users/ana' }, platform('darwin', [])), '/Users/ana/.docker/config.json');
    assert.equal(dockerConfigDir({}, platform('linux', [])), '/home/fallback/.docker');
    assert.equal(dockerConfigPath({ DOCKER_CONFIG: '/etc/ci-docker', HOME: '/root' }, platform('linux', [])), '/etc/ci-docker/config.json');
  });
});

describe('credential helpers on PATH per platform', () => {
  const desktopBin = 'C:\\Program Files\\Docker\\Docker\\resources\\bin';

  it('Windows: docker-credential-<name> is found with a PATHEXT extension, Path/PATHEXT in any case, quoted folders', () => {
    const windows = platform('win32', [`${desktopBin}\\docker-credential-desktop.exe`, 'C:\\tools\\docker-credential-ecr-login.CMD']);
    const env = { Path: `C:\\Windows\\system32;"${desktopBin}";C:\\tools` };
    assert.equal(findOnPath('docker-credential-desktop', env, windows), `${desktopBin}\\docker-credential-desktop.exe`);
    assert.equal(credentialHelperCommand('desktop', env, windows), `${desktopBin}\\docker-credential-desktop.exe`);
    assert.equal(findOnPath('docker-credential-ecr-login', env, windows), 'C:\\tools\\docker-credential-ecr-login.cmd');
    assert.equal(findOnPath('docker-credential-ecr-login', { ...env, PATHEXT: '.EXE' }, windows), undefined, 'PATHEXT limits the extensions tried');
    assert.equal(findOnPath('docker-credential-desktop.exe', env, windows), `${desktopBin}\\docker-credential-desktop.exe`, 'a name with an extension is taken as is');
    assert.equal(credentialHelperCommand('wincred', env, windows), 'docker-credential-wincred', 'not installed: the bare name, so the error says "not on PATH"');
  });

  it('macOS and Linux: no extension, the bare name is spawned (the OS searches PATH)', () => {
    const mac = platform('darwin', ['/usr/local/bin/docker-credential-osxkeychain']);
    assert.equal(findOnPath('docker-credential-osxkeychain', { PATH: '/usr/bin:/usr/local/bin' }, mac), '/usr/local/bin/docker-credential-osxkeychain');
    assert.equal(findOnPath('docker-credential-osxkeychain.exe', { PATH: '/usr/local/bin' }, mac), undefined);
    assert.equal(credentialHelperCommand('osxkeychain', { PATH: '/usr/local/bin' }, mac), 'docker-credential-osxkeychain');
    assert.equal(findOnPath('docker-credential-pass', { path: '/usr/bin' }, platform('linux', ['/usr/bin/docker-credential-pass'])), undefined, 'Linux environment names are case-sensitive');
  });
});

describe('default credentials store (config.json without credential settings)', () => {
  it('is osxkeychain on macOS, wincred on Windows, pass or secretservice on Linux — when its helper is installed', () => {
    assert.equal(defaultCredentialsStore({ PATH: '/opt/homebrew/bin' }, platform('darwin', ['/opt/homebrew/bin/docker-credential-osxkeychain'])), 'osxkeychain');
    assert.equal(defaultCredentialsStore({ PATH: '/opt/homebrew/bin' }, platform('darwin', [])), undefined);
    assert.equal(defaultCredentialsStore({ PATH: 'C:\\bin' }, platform('win32', ['C:\\bin\\docker-credential-wincred.exe'])), 'wincred');
    assert.equal(defaultCredentialsStore({ PATH: '/usr/bin' }, platform('linux', ['/usr/bin/pass', '/usr/bin/docker-credential-pass', '/usr/bin/docker-credential-secretservice'])), 'pass');
    assert.equal(
      defaultCredentialsStore({ PATH: '/usr/bin' }, platform('linux', ['/usr/bin/docker-credential-pass', '/usr/bin/docker-credential-secretservice'])),
      'secretservice',
      'no pass binary: secretservice',
    );
    assert.equal(defaultCredentialsStore({ PATH: '/usr/bin' }, platform('linux', ['/usr/bin/pass'])), undefined);
  });
});

describe('dockerConfigCredentials with a platform (real helper processes)', () => {
  /** A scratch bin folder with helper scripts that answer with the given user, and a docker config folder. */
  function setUp(helpers: Record<string, string>, config: object) {
    const dir = mkdtempSync(join(tmpdir(), 'flux-oci-docker-platform-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const [file, user] of Object.entries(helpers)) {
      writeFileSync(join(bin, file), `#!/bin/sh\ncat >/dev/null\necho '{"ServerURL":"x","Username":"${user}","Secret":"s3cret-${user}"}'\n`);
      chmodSync(join(bin, file), 0o755);
    }
    mkdirSync(join(dir, 'docker'));
    writeFileSync(join(dir, 'docker', 'config.json'), JSON.stringify(config));
    return { dir, env: { PATH: `${bin}:/usr/bin:/bin`, DOCKER_CONFIG: join(dir, 'docker') } };
  }

  it('uses the platform default store when config.json names none (macOS: osxkeychain)', async () => {
    const { dir, env } = setUp({ 'docker-credential-osxkeychain': 'keychain-user' }, {});
    try {
      const mac: DockerPlatform = { ...currentPlatform, os: 'darwin', path: posix };
      const found = await dockerConfigCredentials({ env, platform: mac }).lookup('registry.example.com', 'team/app');
      assert.equal(found?.username, 'keychain-user');
      assert.match(found?.source ?? '', /\(helper osxkeychain\)$/);
      assert.doesNotMatch(found?.source ?? '', /s3cret/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not apply the default store once config.json has any credential setting', async () => {
    const auth = Buffer.from('file-user:file-pass').toString('base64');
    const { dir, env } = setUp({ 'docker-credential-osxkeychain': 'keychain-user' }, { auths: { 'other.example.com': { auth } } });
    try {
      const mac: DockerPlatform = { ...currentPlatform, os: 'darwin', path: posix };
      assert.equal(await dockerConfigCredentials({ env, platform: mac }).lookup('registry.example.com', 'team/app'), undefined);
      assert.equal((await dockerConfigCredentials({ env, platform: mac }).lookup('other.example.com', 'team/app'))?.username, 'file-user');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the helper PATHEXT lookup found (Windows rules: credsStore "desktop" → docker-credential-desktop.exe)', async () => {
    // Windows lookup rules over this machine's files: the .exe name is what gets spawned (a script here, so Linux runs it).
    const { dir, env } = setUp({ 'docker-credential-desktop.exe': 'desktop-user' }, { credsStore: 'desktop' });
    try {
      const windowsRules: DockerPlatform = { ...currentPlatform, os: 'win32', path: posix };
      const found = await dockerConfigCredentials({ env: { ...env, PATHEXT: '.EXE;.CMD' }, platform: windowsRules }).lookup('registry.example.com', 'team/app');
      assert.equal(found?.username, 'desktop-user');
      assert.match(found?.source ?? '', /\(helper desktop\)$/);
      const linux = await dockerConfigCredentials({ env, platform: { ...currentPlatform, os: 'linux' } }).lookup('registry.example.com', 'team/app');
      assert.equal(linux, undefined, 'on Linux the bare name docker-credential-desktop is not installed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
