package io.jackdaw.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jackdaw.testing.Clients;
import io.jackdaw.testing.TestServer;
import io.lettuce.core.GeoArgs;
import io.lettuce.core.GeoCoordinates;
import io.lettuce.core.GeoSearch;
import io.lettuce.core.GeoWithin;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.GeoCoordinate;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.GeoUnit;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GeoRadiusParam;
import redis.clients.jedis.params.GeoSearchParam;
import redis.clients.jedis.resps.GeoRadiusResponse;

/**
 * The geo family as applications use it: Jedis (RESP2) and Lettuce (RESP3, coordinates as
 * doubles). Expected figures are the ones redis.io's GEO pages print for the Sicily example.
 */
class GeoClientTest {
    static TestServer server;

    @BeforeAll
    static void start() { server = TestServer.start(); }

    @AfterAll
    static void stop() { if (server != null) server.close(); }

    @Test
    void jedisSicily() {
        try (Jedis j = Clients.jedis(server.port())) {
            j.flushAll();
            assertThat(j.geoadd("Sicily", Map.of("Palermo", new GeoCoordinate(13.361389, 38.115556),
                    "Catania", new GeoCoordinate(15.087269, 37.502669)))).isEqualTo(2);
            assertThat(j.geodist("Sicily", "Palermo", "Catania")).isEqualTo(166274.1516);
            assertThat(j.geodist("Sicily", "Palermo", "Catania", GeoUnit.KM)).isEqualTo(166.2742);
            assertThat(j.geodist("Sicily", "Palermo", "nobody")).isNull();
            assertThat(j.geohash("Sicily", "Palermo", "Catania")).containsExactly("sqc8b49rny0", "sqdtr74hyu0");
            List<GeoCoordinate> pos = j.geopos("Sicily", "Palermo", "nobody");
            assertThat(pos.get(0).getLongitude()).isEqualTo(13.36138933897018433);
            assertThat(pos.get(0).getLatitude()).isEqualTo(38.11555639549629859);
            assertThat(pos.get(1)).isNull();
            List<GeoRadiusResponse> near = j.georadius("Sicily", 15, 37, 200, GeoUnit.KM,
                    GeoRadiusParam.geoRadiusParam().withDist().sortAscending());
            assertThat(near).extracting(GeoRadiusResponse::getMemberByString).containsExactly("Catania", "Palermo");
            assertThat(near).extracting(GeoRadiusResponse::getDistance).containsExactly(56.4413, 190.4424);
            List<GeoRadiusResponse> box = j.geosearch("Sicily",
                    GeoSearchParam.geoSearchParam().fromLonLat(15, 37).byBox(400, 400, GeoUnit.KM).desc().withCoord());
            assertThat(box).extracting(GeoRadiusResponse::getMemberByString).containsExactly("Palermo", "Catania");
            assertThat(box.get(1).getCoordinate().getLongitude()).isEqualTo(15.08726745843887329);
            assertThat(j.geosearchStore("near", "Sicily",
                    GeoSearchParam.geoSearchParam().fromMember("Palermo").byRadius(100, GeoUnit.KM))).isEqualTo(1);
            assertThat(j.zrange("near", 0, -1)).containsExactly("Palermo");
            assertThatThrownBy(() -> j.geoadd("Sicily", 200, 100, "bad"))
                    .isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR invalid longitude,latitude pair 200.000000,100.000000");
        }
    }

    @Test
    void lettuceResp3() {
        RedisClient client = Clients.lettuceResp3(server.port());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> r = conn.sync();
            r.flushall();
            assertThat(r.geoadd("Sicily", 13.361389, 38.115556, "Palermo", 15.087269, 37.502669, "Catania")).isEqualTo(2);
            assertThat(r.geodist("Sicily", "Palermo", "Catania", GeoArgs.Unit.mi)).isEqualTo(103.3182);
            List<GeoCoordinates> pos = r.geopos("Sicily", "Catania");
            assertThat(pos.get(0).getX().doubleValue()).isEqualTo(15.08726745843887329);
            assertThat(pos.get(0).getY().doubleValue()).isEqualTo(37.50266842333162032);
            List<GeoWithin<String>> found = r.geosearch("Sicily", GeoSearch.fromCoordinates(15, 37),
                    GeoSearch.byRadius(200, GeoArgs.Unit.km), new GeoArgs().withDistance().withHash().withCoordinates().asc());
            assertThat(found).extracting(GeoWithin::getMember).containsExactly("Catania", "Palermo");
            assertThat(found.get(0).getDistance()).isEqualTo(56.4413);
            assertThat(found.get(0).getGeohash()).isEqualTo(3479447370796909L);
            assertThat(found.get(1).getCoordinates().getX().doubleValue()).isEqualTo(13.36138933897018433);
            assertThat(r.georadiusbymember("Sicily", "Palermo", 200, GeoArgs.Unit.km)).containsExactlyInAnyOrder("Palermo", "Catania");
        } finally {
            Clients.shutdown(client);
        }
    }
}
