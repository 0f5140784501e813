import { SubjectProof, verifySubjectProof } from '@consent-ledger/ledger-store';
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { finish, mark, print } from '../output';

/** Fully offline: the proof file and the log's verifier key, nothing else. */
export function register(program: Command): void {
  program
    .command('verify-proof')
    .description('verify a proof of lawful basis (GET /v1/subjects/{id}/proof) offline: event hashes, chain links, inclusion proofs, checkpoint signature, and the decision recomputed')
    .argument('<proof.json>', 'the proof as the ledger served it')
    .requiredOption('--vkey <vkey>', 'the log\'s verifier key, "<origin>+<key id>+<base64 key>" (GET /v1/ledger/verifier-key, obtained independently)')
    .action((file: string, options: { vkey: string }) => {
      const proof = JSON.parse(readFileSync(file, 'utf8')) as SubjectProof;
      const verdict = verifySubjectProof(proof, options.vkey);
      for (const check of verdict.checks) print(`${mark(check.ok)} ${check.check}: ${check.detail}`);
      const decision = `${proof.subjectId} / ${proof.purpose} at ${proof.at}: ${proof.decision?.allowed ? 'allowed' : 'not allowed'} (${proof.decision?.reason})`;
      finish(verdict.valid, verdict.valid ? `VERIFIED: ${decision}` : `NOT VERIFIED: ${verdict.checks.filter((c) => !c.ok).length} check(s) failed`);
    });
}
