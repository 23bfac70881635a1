// The yargs setup (src/cli/commands.ts): what parsing a scan's command line costs.
import { strict as assert } from 'node:assert';
import { buildParser, parseCommand, skipHelpCache } from '../../../src/cli/commands.js';

type Usage = { hasCachedHelpMessage(): boolean };
const usageOf = (p: ReturnType<typeof buildParser>): Usage => (p as unknown as { getInternalMethods(): { getUsageInstance(): Usage } }).getInternalMethods().getUsageInstance();
const SCAN = ['scan', 'https://s.example/', '--user', 'admin', '--quiet'];

describe('cli: parsing a command renders no help text it will not show', () => {
  it('yargs renders and keeps the whole help after running a command (what skipHelpCache undoes)', async () => {
    const p = buildParser(SCAN).fail(() => {});
    await p.parseAsync(SCAN, {}, () => {});
    assert.equal(usageOf(p).hasCachedHelpMessage(), true);
  });
  it('with skipHelpCache the scan is parsed the same and no help text is rendered', async () => {
    const p = buildParser(SCAN).fail(() => {});
    skipHelpCache(p);
    const parsed = (await p.parseAsync(SCAN, {}, () => {})) as Record<string, unknown>;
    assert.equal(usageOf(p).hasCachedHelpMessage(), false);
    assert.equal(parsed.url, 'https://s.example/');
    assert.equal(parsed.user, 'admin');
    assert.equal(parsed.quiet, true);
  });
  it('help and usage errors still carry the command help', async () => {
    const help = await parseCommand(['scan', '--help']);
    assert.equal(help.name, 'help');
    assert.match((help as { text: string }).text, /wp401 scan <url>[\s\S]*--concurrency/);
    await assert.rejects(parseCommand(['scan']), /Missing required argument: url/);
    await assert.rejects(parseCommand(['scan', 'https://s.example/', '--bogus']), /Unknown argument: bogus/);
    const bare = await parseCommand([]);
    assert.equal(bare.name, 'usage');
    assert.match((bare as { text: string }).text, /Commands:[\s\S]*scan-many/);
  });
  it('a scan command line comes back as the scan command', async () => {
    const cmd = await parseCommand(SCAN);
    assert.equal(cmd.name, 'scan');
    assert.equal((cmd as { args: Record<string, unknown> }).args.user, 'admin');
  });
});
