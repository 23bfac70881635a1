import { strict as assert } from 'node:assert';
import { LAYERS } from '../../src/model.js';

describe('model', () => {
  it('lists the six layers in order from the user outwards', () => {
    assert.deepEqual([...LAYERS], ['browser', 'network', 'edge', 'server', 'wordpress', 'plugin']);
  });
});
