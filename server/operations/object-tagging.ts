// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectTagging.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectTagging.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjectTagging.html
import { S3Error } from '../../errors/s3-error.js';
import type { Handler, S3Request } from '../kit/handler.js';
import { requestedVersionId, versionHeader } from '../kit/versions.js';
import { tagSetXml, tagsFromXml, type TagSet } from '../protocol/object-tags.js';
import { readSmallBody } from '../protocol/read-body.js';
import { parseXml } from '../xml/parse.js';
import { xmlResponse } from '../xml/shapes/response.js';

export const getObjectTagging: Handler = async (req) =>
  xmlResponse('Tagging', tagSetXml(req.object!.tags), versionHeader(req.object!));

async function setTags(req: S3Request, tags: TagSet | undefined, status: number) {
  const updated = await req.services.storage.updateObject(req.bucket!, req.key!, requestedVersionId(req), { tags });
  if (!updated) throw new S3Error('NoSuchKey', { Key: req.key });
  return { status, headers: versionHeader(updated) };
}

export const putObjectTagging: Handler = async (req) => {
  const { root, body } = await parseXml(await readSmallBody(req));
  return setTags(req, tagsFromXml(root, body), 200);
};

export const deleteObjectTagging: Handler = (req) => setTags(req, undefined, 204);
