// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/HTTPPOSTForms.html
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { verifyPostPolicySignature } from '../signature/post-policy-signature.js';
import { S3Error } from '../../errors/s3-error.js';
import type { ChecksumAlgorithm, ObjectMeta } from '../../storage/storage.js';
import { authorize } from '../kit/authorize.js';
import type { Handler, S3Request, S3Response } from '../kit/handler.js';
import { newObjectFor } from '../kit/new-object.js';
import { writtenVersionHeader } from '../kit/versions.js';
import { assertChecksumMatches, requestedChecksums } from '../protocol/checksum-headers.js';
import { encryptionHeaders } from '../protocol/encryption.js';
import { tagsFromXml } from '../protocol/object-tags.js';
import { checkPostFields, parsePostPolicy } from '../protocol/post-policy.js';
import { parseXml } from '../xml/parse.js';
import { renderXml } from '../xml/render.js';

/** Form fields that become object headers, as a PUT would send them. */
const AS_HEADER: Record<string, string> = { acl: 'x-amz-acl', tagging: '' };

/** Checks the form, then writes the file field's stream as the object. Fields after `file` are ignored, as on S3. */
async function upload(
  req: S3Request,
  fields: Map<string, string>,
  file: Readable,
  filename: string,
): Promise<S3Response> {
  const keyField = fields.get('key');
  if (keyField === undefined)
    throw new S3Error(
      'InvalidArgument',
      { ArgumentName: 'key' },
      "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
    );
  const key = keyField.replaceAll('${filename}', filename);
  // Conditions see the key as it will be stored.
  fields.set('key', key);
  if (key === '')
    throw new S3Error('InvalidArgument', { ArgumentName: 'key' }, 'User key must have a length greater than 0.');
  req.ctx.key = key;
  const policyField = fields.get('policy');
  let lengthRange: { min: number; max: number } | undefined;
  const accessKey = fields.get('awsaccesskeyid') ?? fields.get('x-amz-credential')?.split('/')[0];
  if (policyField !== undefined) {
    const signature = fields.get('signature') ?? fields.get('x-amz-signature');
    if (accessKey === undefined || signature === undefined) {
      throw new S3Error(
        'InvalidArgument',
        {},
        "Bucket POST must contain a field named 'AWSAccessKeyId' and a signature when a policy is given.",
      );
    }
    const policy = parsePostPolicy(policyField);
    checkPostFields(policy, fields, { bucket: req.bucket! });
    if (fields.has('bucket') && fields.get('bucket') !== req.bucket) throw new S3Error('AccessDenied');
    lengthRange = policy.contentLength;
    req.ctx.signatureVersion = fields.has('x-amz-signature') ? 'SigV4' : 'SigV2';
    // AWS documents AuthHeader and QueryString only; a form's credentials travel in the body, like a header's.
    req.ctx.authType = 'AuthHeader';
    // The named key's identity makes the upload, as a signed PUT would; its signature is checked
    // only when signatures are verified.
    req.identity = req.services.config.verifySignatures
      ? verifyPostPolicySignature(fields, (k) => req.services.identities.configured(k))
      : req.services.identities.resolve(accessKey);
    req.ctx.identity = req.identity;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of fields) headers[AS_HEADER[name] ?? name] = value;
  const formReq: S3Request = { ...req, key, headers };
  await authorize(formReq, req.row, { bucket: req.bucket, key });
  const object = newObjectFor(formReq);
  const tagging = fields.get('tagging');
  if (tagging !== undefined) {
    const { root, body } = await parseXml(tagging);
    object.tags = tagsFromXml(root, body);
  }
  const checksums = requestedChecksums(headers);
  const meta: ObjectMeta = await req.services.storage.putObject(req.bucket!, key, file, object, {
    checksumAlgorithms: checksums.algorithms,
    verify: ({ size, checksums: computed }) => {
      for (const [a, v] of Object.entries(checksums.headerValues))
        assertChecksumMatches(a as ChecksumAlgorithm, v, computed[a as ChecksumAlgorithm]);
      if (lengthRange && size > lengthRange.max)
        throw new S3Error('EntityTooLarge', { ProposedSize: size, MaxSizeAllowed: lengthRange.max });
      if (lengthRange && size < lengthRange.min)
        throw new S3Error('EntityTooSmall', { ProposedSize: size, MinSizeAllowed: lengthRange.min });
    },
  });
  req.ctx.objectSize = meta.size;
  return answer(req, fields, key, meta);
}

function answer(req: S3Request, fields: Map<string, string>, key: string, meta: ObjectMeta): S3Response {
  const etag = `"${meta.etag}"`;
  const location = `http://${req.headers.host ?? 'localhost'}/${req.bucket}/${encodeURIComponent(key)}`;
  const headers = { ETag: etag, Location: location, ...writtenVersionHeader(meta), ...encryptionHeaders(meta.sse) };
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect && /^https?:\/\//i.test(redirect)) {
    const target = new URL(redirect);
    target.searchParams.set('bucket', req.bucket!);
    target.searchParams.set('key', key);
    target.searchParams.set('etag', etag);
    return { status: 303, headers: { ...headers, Location: target.toString() } };
  }
  const status = fields.get('success_action_status');
  if (status === '201') {
    // S3's PostResponse carries no namespace.
    const body = renderXml('PostResponse', { Location: location, Bucket: req.bucket, Key: key, ETag: etag }, false);
    return { status: 201, headers: { ...headers, 'Content-Type': 'application/xml' }, body };
  }
  return { status: status === '200' ? 200 : 204, headers };
}

/** A form field sent as a file part: its text, bounded like any field. */
function readField(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 64 * 1024) chunks.push(c);
    });
    stream.on('end', () =>
      size > 64 * 1024 ? reject(new S3Error('MalformedPOSTRequest')) : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    stream.on('error', reject);
  });
}

export const postObject: Handler = (req) => {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw new S3Error(
      'PreconditionFailed',
      { Condition: 'Bucket POST must be of the enclosure-type multipart/form-data' },
      'At least one of the pre-conditions you specified did not hold',
    );
  }
  return new Promise<S3Response>((resolve, reject) => {
    let form: busboy.Busboy;
    try {
      form = busboy({
        headers: req.headers as busboy.BusboyConfig['headers'],
        limits: { fields: 100, fieldSize: 8 * 1024 * 1024, files: 100 },
        // Field values arrive byte for byte (a `file` field may be binary); text fields are UTF-8.
        defCharset: 'latin1',
        defParamCharset: 'utf8',
      });
    } catch {
      reject(new S3Error('MalformedPOSTRequest'));
      return;
    }
    const fields = new Map<string, string>();
    let started = false;
    form.on('field', (name, value, info) => {
      if (started) return;
      if (name.toLowerCase() !== 'file') {
        fields.set(name.toLowerCase(), Buffer.from(value, 'latin1').toString('utf8'));
        return;
      }
      // A `file` part without a filename arrives as a field; S3 takes it as the file all the same.
      started = true;
      if (info.valueTruncated) {
        reject(new S3Error('EntityTooLarge', {}, 'A file field without a filename is limited to 8 MiB here.'));
        return;
      }
      upload(req, fields, Readable.from([Buffer.from(value, 'latin1')]), '').then(resolve, reject);
    });
    // Clients (python-requests among them) send every field as a file part: any part not named
    // `file` is a field, whatever its disposition says.
    const pending: Promise<void>[] = [];
    form.on('file', (name, stream, info) => {
      if (started) {
        stream.resume();
        return;
      }
      if (name.toLowerCase() !== 'file') {
        pending.push(
          readField(stream).then((value) => {
            fields.set(name.toLowerCase(), value);
          }),
        );
        return;
      }
      started = true;
      Promise.all(pending)
        .then(() => upload(req, fields, stream, info.filename ?? ''))
        .then(resolve, (err: unknown) => {
          stream.resume();
          reject(err);
        });
    });
    form.on('error', () => reject(new S3Error('MalformedPOSTRequest')));
    form.on('close', () => {
      if (!started)
        reject(
          new S3Error(
            'InvalidArgument',
            { ArgumentName: 'file' },
            'POST requires exactly one file upload per request.',
          ),
        );
    });
    req.continueBody();
    req.raw.pipe(form);
  });
};
