import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LogCheckpoints, LogTree, SqlSession, StoredCheckpoint } from '@consent-ledger/ledger-store';
import { DataSource } from 'typeorm';
import { ProblemException } from '../http/problem';

/** Checkpoints and consistency proofs as the HTTP layer serves them, with their 404s and 400s. */
@Injectable()
export class LogReader {
  readonly query: SqlSession;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.query = (sql, params) => dataSource.query(sql, params);
  }

  async latest(): Promise<StoredCheckpoint> {
    const checkpoint = await LogCheckpoints.latest(this.query);
    if (!checkpoint) throw ProblemException.of(404, 'checkpoint_not_found', 'no checkpoint has been signed yet');
    return checkpoint;
  }

  async ofSize(treeSize: number): Promise<StoredCheckpoint> {
    const checkpoint = await LogCheckpoints.ofSize(this.query, treeSize);
    if (!checkpoint) throw ProblemException.of(404, 'checkpoint_not_found', `no checkpoint of tree size ${treeSize}`);
    return checkpoint;
  }

  async consistency(from: number, to: number): Promise<Buffer[]> {
    if (from > to) {
      throw ProblemException.of(400, 'validation_failed', 'from must not exceed to', [{ field: 'from', message: 'from must be at most to' }]);
    }
    const latest = await this.latest();
    if (to > latest.treeSize) {
      throw ProblemException.of(400, 'validation_failed', `the latest checkpoint has tree size ${latest.treeSize}`, [
        { field: 'to', message: `to must be at most ${latest.treeSize}` },
      ]);
    }
    return new LogTree(this.query).consistency(from, to);
  }
}
