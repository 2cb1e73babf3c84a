package io.jackdaw.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The RDB object type bytes and versions are a wire and disk format: pinned to rdb.h's numbers. */
class RdbValuesTest {
    @Test
    void typeBytesAreRedis() {
        int[][] pinned = {
            {RdbValues.TYPE_STRING, 0}, {RdbValues.TYPE_LIST, 1}, {RdbValues.TYPE_SET, 2}, {RdbValues.TYPE_ZSET, 3},
            {RdbValues.TYPE_HASH, 4}, {RdbValues.TYPE_ZSET_2, 5}, {RdbValues.TYPE_MODULE_PRE_GA, 6},
            {RdbValues.TYPE_MODULE_2, 7}, {RdbValues.TYPE_HASH_ZIPMAP, 9}, {RdbValues.TYPE_LIST_ZIPLIST, 10},
            {RdbValues.TYPE_SET_INTSET, 11}, {RdbValues.TYPE_ZSET_ZIPLIST, 12}, {RdbValues.TYPE_HASH_ZIPLIST, 13},
            {RdbValues.TYPE_LIST_QUICKLIST, 14}, {RdbValues.TYPE_STREAM_LISTPACKS, 15}, {RdbValues.TYPE_HASH_LISTPACK, 16},
            {RdbValues.TYPE_ZSET_LISTPACK, 17}, {RdbValues.TYPE_LIST_QUICKLIST_2, 18}, {RdbValues.TYPE_STREAM_LISTPACKS_2, 19},
            {RdbValues.TYPE_SET_LISTPACK, 20}, {RdbValues.TYPE_STREAM_LISTPACKS_3, 21},
            {RdbValues.TYPE_HASH_METADATA_PRE_GA, 22}, {RdbValues.TYPE_HASH_LISTPACK_EX_PRE_GA, 23},
            {RdbValues.TYPE_HASH_METADATA, 24}, {RdbValues.TYPE_HASH_LISTPACK_EX, 25},
        };
        for (int[] p : pinned) assertThat(p[0]).isEqualTo(p[1]);
        assertThat(RdbValues.VERSION).isEqualTo(11);
        assertThat(RdbValues.VERSION_FIELD_EXPIRY).isEqualTo(12);
        assertThat(RdbValues.MAX_VERSION).isEqualTo(12);
    }
}
