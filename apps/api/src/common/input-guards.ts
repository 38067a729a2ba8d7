import { HttpStatus } from '@nestjs/common';
import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppException } from './app-exception';
import { findInputProblem, inputProblemException, isStorableText, jsonNestsDeeperThan, MAX_INPUT_DEPTH } from './hostile-input';

/** Largest JSON body accepted. */
export const JSON_BODY_LIMIT = '256kb';

/** A body-parser style error: the exception filter answers it with its status and message. */
class BodyRefused extends Error {
  readonly status = HttpStatus.BAD_REQUEST;
  readonly type = 'entity.too.deep';
}

/**
 * JSON bodies, refused with a 400 when they nest deeper than MAX_INPUT_DEPTH: the raw bytes are
 * scanned before JSON.parse, so a hostile body never reaches class-transformer's recursion.
 */
export function jsonBodyParser(): RequestHandler {
  return express.json({
    limit: JSON_BODY_LIMIT,
    verify: (_request, _response, raw) => {
      if (jsonNestsDeeperThan(raw, MAX_INPUT_DEPTH))
        throw new BodyRefused(`Request body is nested deeper than ${MAX_INPUT_DEPTH} levels`);
    },
  });
}

/**
 * Refuses, once for every route, what no route can store: NUL characters and unpaired surrogates
 * in any string or key of the parsed body or query or in the path, and bodies nested too deep
 * (a second check after parsing, for a body the byte scan could not read, such as UTF-16 JSON).
 * Runs before routing, guards and the audit log, so nothing downstream sees such input.
 */
export function refuseHostileRequest(request: Request, _response: Response, next: NextFunction): void {
  try {
    const body: unknown = request.body;
    const problem = findInputProblem(body) ?? findInputProblem(request.query);
    if (problem) throw inputProblemException(problem);
    if (!isStorableText(decodedPath(request.path))) {
      throw AppException.invalid('Invalid input: path (must not contain NUL characters)', [
        { field: 'path', errors: ['must not contain NUL characters'] },
      ]);
    }
    next();
  } catch (error) {
    next(error);
  }
}

/** The path as the router will decode its parameters; a segment that does not decode is left to the router (a 400). */
function decodedPath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return '';
      }
    })
    .join('/');
}
