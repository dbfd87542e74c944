/** `idv policy show [--file F] [--markdown]`: the effective policy and what it does with every failure code. */
import { readPolicyFile } from '../../config/worker.js';
import { defineCommand, defineGroup } from '../command.js';

const show = defineCommand({
  name: 'policy show',
  summary: 'print the effective policy: its settings and the outcome of every failure code',
  flags: [
    {
      name: 'file',
      value: 'FILE',
      env: 'IDV_POLICY',
      description: 'a policy file (JSON or YAML) instead of IDV_POLICY',
    },
    { name: 'markdown', description: "print the README's tables instead" },
  ],
  env: [{ name: 'IDV_POLICY', description: 'policy file (JSON or YAML)', default: 'built-in' }],
  settings: (read) => ({ file: readPolicyFile(read), markdown: read.switch('--markdown') }),
  async run({ settings, stdout }) {
    const [{ loadPolicy }, { policyMarkdown, policyText }] = await Promise.all([
      import('../../main/load-policy.js'),
      import('../policy-text.js'),
    ]);
    const policy = loadPolicy(settings.file);
    const source = settings.file ? `from ${settings.file}, over the built-in one` : 'built-in';
    stdout.write(settings.markdown ? policyMarkdown(policy) : policyText(policy, source));
    return 0;
  },
});

export const policy = defineGroup({
  name: 'policy',
  summary: 'show the outcome policy',
  subcommands: [show],
});
