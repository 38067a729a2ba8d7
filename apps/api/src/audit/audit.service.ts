import { randomUUID, KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditOutcome, AuditVerifyProblem, AuditVerifyResult } from '@parley/contracts';
import { DataSource, EntityManager } from 'typeorm';
import {
  AuditContent,
  chainHash,
  checkpointSignature,
  eventHolds,
  GENESIS_HASH,
  HASH_VERSION,
  LEGACY_HASH_VERSION,
} from './audit-hash';
import { StoredAuditEvent, StoredCheckpoint } from './audit-rows';
import { AuditRepository, ChainHead } from './audit.repository';
import { ChainTurns } from './chain-turns';

/** The HMAC key of the audit chain (a KeyObject derived from AUDIT_KEY or the JWT secret; see deriveAuditKey). */
export const AUDIT_KEY = Symbol('AUDIT_KEY');

/** What a caller tells the log; the service adds the chain position, the time and the hashes. */
export interface AuditRecordInput {
  workspaceId: string | null;
  actorId: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome: AuditOutcome;
  ip?: string | null;
  userAgent?: string | null;
  /** A small JSON object. Never message bodies, codes, tokens or other secrets. */
  details?: Record<string, unknown>;
}

/** Every this many events of a chain, the append also writes a signed checkpoint of its head. */
export const CHECKPOINT_EVERY = 100;

/** Events moved from the outbox into a chain per transaction. */
const DRAIN_BATCH = 500;
/** How long drainSoon lets events gather before one round chains them all. */
const DRAIN_SOON_MS = 100;

/** An event in the outbox: its content before it has a place in a chain (see AuditOutboxEntry). */
type QueuedEvent = Omit<AuditContent, 'workspaceId' | 'seq' | 'occurredAt' | 'hashVersion'>;

const VERIFY_BATCH = 1000;

/**
 * The append-only, keyed hash chain of the audit log: one chain per workspace and one for events
 * outside any workspace. Appends to a chain take turns through a transaction-scoped advisory
 * lock, so any number of api instances extend each chain without forks or gaps. Signed
 * checkpoints of each head (audit_checkpoints) let `verify` see a shortened chain.
 */
@Injectable()
export class AuditService implements OnApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly turns = new ChainTurns();
  /** Drains run one at a time per chain per instance; a caller whose event an earlier round took returns at once. */
  private readonly drainTurns = new ChainTurns(1);
  private readonly drainsAsked = new Map<string, number>();
  private readonly drainsDone = new Map<string, number>();
  /** The chains a drain is due for soon (drainSoon), with its timer. */
  private readonly dueSoon = new Map<string, { workspaceId: string | null; timer: NodeJS.Timeout }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: AuditRepository,
    @Inject(AUDIT_KEY) private readonly key: KeyObject,
  ) {}

  /**
   * Appends an event to its chain. Pass `manager` to append inside a transaction of your own
   * (the event then commits or rolls back with your change); otherwise it commits at once.
   */
  async record(input: AuditRecordInput, manager?: EntityManager): Promise<StoredAuditEvent> {
    if (manager) return this.append(manager, input);
    return this.turns.run(input.workspaceId, () => this.dataSource.transaction((m) => this.append(m, input)));
  }

  /**
   * Puts an event in the outbox inside `manager`'s transaction, which takes no lock for it: the
   * audited actions of one workspace commit side by side instead of one after another on the
   * chain. The event commits or rolls back with the change; once committed, `drain` gives it its
   * place in the chain.
   */
  async enqueue(input: AuditRecordInput, manager: EntityManager): Promise<void> {
    const { workspaceId, event } = this.outboxEntry(input);
    await this.repository.enqueue(workspaceId, event, manager);
  }

  /**
   * The outbox row of an event, for a statement of another module that writes it itself, with
   * its change, in one round trip (MessageRepository.applyChanges): `event` is opaque there.
   */
  outboxEntry(input: AuditRecordInput): { workspaceId: string | null; event: Record<string, unknown> } {
    const event: QueuedEvent = { id: randomUUID(), ...contentOf(input) };
    return { workspaceId: input.workspaceId ?? null, event: event as unknown as Record<string, unknown> };
  }

  /**
   * Drains the chain within DRAIN_SOON_MS, one round for every event queued meanwhile: for
   * events committed outside a request (socket events), whose answer need not wait for the
   * chaining. Never throws; an event whose drain fails waits for the sweep.
   */
  drainSoon(workspaceId: string | null): void {
    const key = workspaceId ?? '';
    if (this.dueSoon.has(key)) return;
    const timer = setTimeout(() => {
      this.dueSoon.delete(key);
      this.drain(workspaceId).catch((error: unknown) =>
        this.logger.warn(`Could not chain the audit events of ${workspaceId ?? 'the global chain'} yet: ${error instanceof Error ? error.message : String(error)}`),
      );
    }, DRAIN_SOON_MS);
    timer.unref();
    this.dueSoon.set(key, { workspaceId, timer });
  }

  /** The drains due soon, done now: nothing waits for the sweep of another instance. */
  async onApplicationShutdown(): Promise<void> {
    const due = [...this.dueSoon.values()];
    this.dueSoon.clear();
    for (const { workspaceId, timer } of due) {
      clearTimeout(timer);
      await this.drain(workspaceId).catch(() => undefined);
    }
  }

  /**
   * Moves every event waiting in the chain's outbox into the chain, in the order they were
   * written, and resolves once the events committed before the call are in it. Calls for one
   * chain take turns here and share rounds: a round takes everything waiting, so many
   * concurrent actions cost one transaction under the chain's lock (and one commit), not one each.
   */
  async drain(workspaceId: string | null): Promise<void> {
    const key = workspaceId ?? '';
    const ticket = (this.drainsAsked.get(key) ?? 0) + 1;
    this.drainsAsked.set(key, ticket);
    await this.drainTurns.run(workspaceId, async () => {
      if ((this.drainsDone.get(key) ?? 0) >= ticket) return; // a round that began after this call took its event
      const upTo = this.drainsAsked.get(key)!;
      while ((await this.drainRound(workspaceId)) === DRAIN_BATCH);
      this.drainsDone.set(key, upTo);
      if (this.drainsAsked.get(key) === upTo) {
        this.drainsAsked.delete(key);
        this.drainsDone.delete(key);
      }
    });
  }

  /** Drains the chains whose events have waited since before `before` (their drain failed or never ran: a crash). */
  async drainStale(before: Date): Promise<number> {
    const chains = await this.repository.findStaleOutboxChains(before);
    for (const workspaceId of chains) await this.drain(workspaceId);
    return chains.length;
  }

  /** One transaction: up to DRAIN_BATCH waiting events into the chain; how many it moved. */
  private drainRound(workspaceId: string | null): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await this.repository.lockChain(workspaceId, manager);
      const queued = (await this.repository.takeOutbox(workspaceId, DRAIN_BATCH, manager)) as unknown as QueuedEvent[];
      if (!queued.length) return 0;
      // One time for the batch, taken under the chain's lock from the database's clock, as an append takes it.
      const head = await this.repository.findHeadAndClock(workspaceId, manager);
      let prev: ChainHead = head;
      const events: StoredAuditEvent[] = [];
      for (const item of queued) {
        const content: AuditContent = {
          ...item,
          workspaceId,
          seq: prev.seq + 1,
          occurredAt: head.now,
          hashVersion: HASH_VERSION,
        };
        const event: StoredAuditEvent = { ...content, prevHash: prev.hash, hash: chainHash(this.key, prev.hash, content) };
        events.push(event);
        prev = event;
      }
      await this.repository.insertEvents(events, manager);
      for (const event of events)
        if (event.seq % CHECKPOINT_EVERY === 0) await this.writeCheckpoint(manager, workspaceId, event, 'count');
      return queued.length;
    });
  }

  /**
   * Writes a signed checkpoint of the chain's head, unless the latest one already names it;
   * answers the checkpoint that now anchors the head.
   */
  async checkpoint(workspaceId: string | null, reason: 'timer' | 'export'): Promise<StoredCheckpoint> {
    let written = false;
    const checkpoint = await this.dataSource.transaction(async (manager) => {
      await this.repository.lockChain(workspaceId, manager);
      const head = await this.repository.findHead(workspaceId, manager);
      const latest = await this.repository.findLatestCheckpoint(workspaceId, manager);
      if (latest && latest.eventCount === head.seq && latest.headHash === head.hash) return latest;
      written = true;
      return this.writeCheckpoint(manager, workspaceId, head, reason);
    });
    // A copy outside the database, once committed: a log shipper keeps what an intruder in the database cannot reach.
    if (written) this.logger.log(`Audit checkpoint ${JSON.stringify(checkpoint)}`);
    return checkpoint;
  }

  /** Every checkpoint of a chain, oldest first. */
  checkpoints(workspaceId: string | null): Promise<StoredCheckpoint[]> {
    return this.repository.findCheckpoints(workspaceId);
  }

  /**
   * Walks a workspace's chain (null: the chain outside workspaces) with the key: each event must
   * sit at its place, follow the one before, and carry the HMAC of its exact content; each
   * checkpoint must be signed with the key and name an event that is still there, unchanged.
   * Answers the first thing that does not hold.
   */
  async verify(workspaceId: string | null): Promise<AuditVerifyResult> {
    const checkpoints = await this.checkpoints(workspaceId);
    const count = checkpoints.length;
    const forged = checkpoints.find((c) => checkpointSignature(this.key, c) !== c.signature);
    if (forged) {
      return broken(0, count, 'checkpoint_signature', `A checkpoint (${forged.id}) is not signed with this server's audit key`);
    }
    const anchors = new Map<number, StoredCheckpoint[]>();
    for (const c of checkpoints) anchors.set(c.eventCount, [...(anchors.get(c.eventCount) ?? []), c]);

    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    let keyed = false;
    for (;;) {
      const events = await this.repository.findChainEvents(workspaceId, expectedSeq - 1, VERIFY_BATCH);
      for (const event of events) {
        checked += 1;
        if (event.seq !== expectedSeq) {
          return broken(checked, count, 'sequence', `Event ${expectedSeq} is missing (the next one is ${event.seq})`, event.id);
        }
        if (event.prevHash !== prevHash) {
          return broken(checked, count, 'prev_hash', `Event ${event.seq} does not follow event ${event.seq - 1}`, event.id);
        }
        // Unkeyed events are accepted only where they were before keyed chains began: at the start.
        const versionFits = event.hashVersion === HASH_VERSION || (event.hashVersion === LEGACY_HASH_VERSION && !keyed);
        if (!versionFits || !eventHolds(this.key, prevHash, event, event.hash)) {
          return broken(checked, count, 'hash', `Event ${event.seq} was changed after it was written`, event.id);
        }
        keyed ||= event.hashVersion === HASH_VERSION;
        const mismatch = anchors.get(event.seq)?.find((c) => c.headHash !== event.hash);
        if (mismatch) {
          return broken(
            checked,
            count,
            'checkpoint_mismatch',
            `Event ${event.seq} is not the one checkpoint ${mismatch.id} signed`,
            event.id,
          );
        }
        prevHash = event.hash;
        expectedSeq += 1;
      }
      if (events.length < VERIFY_BATCH) break;
    }
    const furthest = checkpoints.reduce((max, c) => Math.max(max, c.eventCount), 0);
    if (furthest > checked) {
      const at = checkpoints.find((c) => c.eventCount === furthest)!.createdAt;
      return broken(
        checked,
        count,
        'truncated',
        `The log ends at event ${checked}, but a checkpoint signed at ${at} counted ${furthest} events`,
      );
    }
    return { ok: true, checked, checkpoints: count };
  }

  private async append(manager: EntityManager, input: AuditRecordInput): Promise<StoredAuditEvent> {
    const workspaceId = input.workspaceId ?? null;
    await this.repository.lockChain(workspaceId, manager);
    // The time is taken under the chain's lock, from the database's clock, so times follow the
    // chain's order whichever instance writes; kept as exact text, microseconds included, for the hash.
    const head = await this.repository.findHeadAndClock(workspaceId, manager);
    const content: AuditContent = {
      id: randomUUID(),
      ...contentOf(input),
      workspaceId,
      seq: head.seq + 1,
      occurredAt: head.now,
      hashVersion: HASH_VERSION,
    };
    const event: StoredAuditEvent = { ...content, prevHash: head.hash, hash: chainHash(this.key, head.hash, content) };
    await this.repository.insertEvent(event, manager);
    if (event.seq % CHECKPOINT_EVERY === 0) await this.writeCheckpoint(manager, workspaceId, event, 'count');
    return event;
  }

  /** Inserts a checkpoint of `head`; the caller holds the chain's lock. */
  private async writeCheckpoint(
    manager: EntityManager,
    workspaceId: string | null,
    head: ChainHead,
    reason: string,
  ): Promise<StoredCheckpoint> {
    const now = await this.repository.clock(manager);
    const content = { id: randomUUID(), workspaceId, eventCount: head.seq, headHash: head.hash, createdAt: now, reason };
    const checkpoint: StoredCheckpoint = { ...content, signature: checkpointSignature(this.key, content) };
    await this.repository.insertCheckpoint(checkpoint, manager);
    return checkpoint;
  }
}

function broken(
  checked: number,
  checkpoints: number,
  problem: AuditVerifyProblem,
  message: string,
  firstBrokenId?: string,
): AuditVerifyResult {
  return { ok: false, checked, ...(firstBrokenId ? { firstBrokenId } : {}), problem, message, checkpoints };
}

/** An event's own content (what the caller says, cut to the columns' lengths), without its chain fields and id. */
function contentOf(input: AuditRecordInput): Omit<QueuedEvent, 'id'> {
  return {
    actorId: input.actorId ?? null,
    action: clip(input.action, 80) ?? '',
    targetType: clip(input.targetType, 40),
    targetId: clip(input.targetId, 80),
    outcome: input.outcome,
    ip: clip(input.ip, 64),
    userAgent: clip(input.userAgent, 512),
    // Exactly what jsonb will give back: plain JSON, no undefined, no Date objects.
    details: JSON.parse(JSON.stringify(input.details ?? {})) as Record<string, unknown>,
  };
}

/** Stored columns have a length: cut before hashing, so the hash covers what is stored. */
function clip(value: string | null | undefined, length: number): string | null {
  return value === null || value === undefined ? null : value.slice(0, length);
}
