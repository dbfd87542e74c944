// npm run docs:policy: writes the built-in policy's tables (src/cli/policy-text.ts) into README.md between
// the policy markers, formatted as prettier would; test/unit/policy-docs.test.ts fails when they differ.
import { readFileSync, writeFileSync } from 'node:fs';
import * as prettier from 'prettier';
import { policyMarkdown } from '../dist/cli/policy-text.js';
import { DEFAULT_POLICY } from '../dist/domain/index.js';

const README = new URL('../README.md', import.meta.url);
const START = '<!-- policy:start (npm run docs:policy) -->\n';
const END = '<!-- policy:end -->';
const readme = readFileSync(README, 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < from) throw new Error(`README.md has no ${START.trim()} … ${END} section`);
const options = { ...(await prettier.resolveConfig('README.md')), parser: 'markdown' };
const section = await prettier.format(policyMarkdown(DEFAULT_POLICY), options);
writeFileSync(README, `${readme.slice(0, from + START.length)}\n${section}\n${readme.slice(to)}`);
