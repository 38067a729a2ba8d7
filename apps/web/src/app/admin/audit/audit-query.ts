import { HttpParams } from '@angular/common/http';
import { AUDIT_ACTIONS } from '@parley/contracts';

/** The audit log filters as the form holds them (dates as `yyyy-mm-dd` from a date input). */
export interface AuditQuery {
  action: string;
  actorId: string;
  targetId: string;
  /** First day included, local time. */
  from: string;
  /** Last day included, local time. */
  to: string;
}

export const EMPTY_AUDIT_QUERY: AuditQuery = { action: '', actorId: '', targetId: '', from: '', to: '' };

const DATE_INPUT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local midnight at the start of a `yyyy-mm-dd` day, or null when the text is not such a date. */
export function startOfLocalDay(value: string): Date | null {
  const match = DATE_INPUT.exec(value.trim());
  if (!match) return null;
  const [, y, m, d] = match;
  const date = new Date(Number(y), Number(m) - 1, Number(d));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Local midnight at the end of a `yyyy-mm-dd` day (the next day's start), or null. */
export function endOfLocalDay(value: string): Date | null {
  const start = startOfLocalDay(value);
  if (!start) return null;
  return new Date(start.getFullYear(), start.getMonth(), start.getDate() + 1);
}

/**
 * The API's query parameters for the filters: only those that are set, dates as ISO
 * instants (`from` inclusive, `to` exclusive, so "to 5 March" includes all of 5 March).
 */
export function toAuditParams(query: AuditQuery): HttpParams {
  let params = new HttpParams();
  const action = query.action.trim();
  const actorId = query.actorId.trim();
  const targetId = query.targetId.trim();
  if (action) params = params.set('action', action);
  if (actorId) params = params.set('actorId', actorId);
  if (targetId) params = params.set('targetId', targetId);
  const from = startOfLocalDay(query.from);
  const to = endOfLocalDay(query.to);
  if (from) params = params.set('from', from.toISOString());
  if (to) params = params.set('to', to.toISOString());
  return params;
}

/** True when `to` is before `from`, which can only match nothing. */
export function isEmptyRange(query: AuditQuery): boolean {
  const from = startOfLocalDay(query.from);
  const to = startOfLocalDay(query.to);
  return from !== null && to !== null && to < from;
}

/** The actions the api records by name; others are recorded as `METHOD /path`. */
export const KNOWN_AUDIT_ACTIONS: readonly string[] = AUDIT_ACTIONS;
