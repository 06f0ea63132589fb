import { describe, expect, it } from 'vitest';
import { isPrivateHost } from '../src/webhooks/private-address.js';

describe('webhook SSRF guard (unit)', () => {
  it('flags loopback, private, link-local and shared ranges, in every spelling', () => {
    for (const host of [
      'localhost',
      'api.localhost',
      '127.0.0.1',
      '127.9.9.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '[::1]',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isPrivateHost(host), host).toBe(true);
    }
  });

  it('lets public hosts through', () => {
    for (const host of [
      'example.com',
      'hooks.factory.test',
      '8.8.8.8',
      '172.32.0.1',
      '192.169.0.1',
      '2001:db8::1',
      '[2606:4700::1111]',
    ]) {
      expect(isPrivateHost(host), host).toBe(false);
    }
  });
});
