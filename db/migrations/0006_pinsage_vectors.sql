-- PinSage card embeddings (issue 5): the learned graph-aware embedding of each card that has graph
-- neighbours, trained by `npm run train:pinsage`. Cards without a row fall back to pin_vec.
CREATE VIRTUAL TABLE IF NOT EXISTS pin_sage_vec USING vec0(pin_id integer primary key, embedding float[512] distance_metric=cosine);
