import type { Owner } from '../../../storage/storage.js';
import type { XmlElement } from '../render.js';

export const ownerXml = (owner: Owner): XmlElement => ({ ID: owner.id, DisplayName: owner.displayName });
