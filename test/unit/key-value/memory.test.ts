import { MemoryKeyValueBackend } from '../../../shared/key-value-memory.ts';
import { runKeyValueContract } from '../../support/key-value-contract.ts';

runKeyValueContract('in-memory backend', () => new MemoryKeyValueBackend());
