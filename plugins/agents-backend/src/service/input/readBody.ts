import { InputError } from '@backstage/errors';
import express, { NextFunction, Request, Response } from 'express';
import { parseJsonText } from './parseJsonText';

/** Bodies above this size get 413: resources are configuration, not payloads. */
export const BODY_LIMIT = '1mb';

const JSON_TYPES = [
  'application/json',
  'application/merge-patch+json',
  'application/*+json',
];
const YAML_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
];

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body's text; 400 when its bytes are not UTF-8 (a lenient decoder would replace them). */
export function decodeUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new InputError('body: is not valid UTF-8');
  }
}

/**
 * Turns a JSON or YAML body into `req.body`: a JSON body becomes its checked value (see
 * parseJsonText); a YAML body stays text for the routes that parse documents. Either must be
 * UTF-8 without NUL bytes.
 */
function decodeBody(req: Request, _res: Response, next: NextFunction) {
  if (!Buffer.isBuffer(req.body)) {
    next();
    return;
  }
  const text = decodeUtf8(req.body);
  if (text.includes('\u0000')) {
    throw new InputError('body: must not contain NUL characters');
  }
  if (req.is(YAML_TYPES)) {
    req.body = text;
  } else {
    req.body = text.trim() === '' ? {} : parseJsonText(text);
  }
  next();
}

/** Reads JSON and YAML bodies up to BODY_LIMIT as bytes, then decodes and checks them. */
export function readBody() {
  return [
    // Not inflated: a compressed body is how a small request becomes a large one.
    express.raw({
      limit: BODY_LIMIT,
      inflate: false,
      type: [...JSON_TYPES, ...YAML_TYPES],
    }),
    decodeBody,
  ];
}
