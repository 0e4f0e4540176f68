import type { Owner } from '../../../storage/storage.js';
import type { XmlElement } from '../render.js';

/**
 * An Owner element: the canonical id alone. S3 stopped returning DisplayName in every response on
 * November 21, 2025 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Owner.html).
 */
export const ownerXml = (owner: Owner): XmlElement => ({ ID: owner.id });
