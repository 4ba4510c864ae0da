package io.github.redisonmesos.broker.instance;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * An instance record's {@link InstanceRecord.Topology} in the JSON records have always
 * had: {@code "ha": null} (or no {@code "ha"} at all, records from before HA) for a
 * single Redis, {@code "ha": {...}} for an HA instance.
 */
final class TopologyJson {

	private TopologyJson() {
	}

	static final class Writer extends StdSerializer<InstanceRecord.Topology> {

		Writer() {
			super(InstanceRecord.Topology.class);
		}

		@Override
		public void serialize(InstanceRecord.Topology topology, JsonGenerator json, SerializerProvider provider)
				throws IOException {
			if (topology instanceof InstanceRecord.Ha ha) {
				provider.defaultSerializeValue(ha, json);
			}
			else {
				json.writeNull();
			}
		}

	}

	static final class Reader extends StdDeserializer<InstanceRecord.Topology> {

		Reader() {
			super(InstanceRecord.Topology.class);
		}

		@Override
		public InstanceRecord.Topology deserialize(JsonParser json, DeserializationContext context) throws IOException {
			return context.readValue(json, InstanceRecord.Ha.class);
		}

		@Override
		public InstanceRecord.Topology getNullValue(DeserializationContext context) {
			return InstanceRecord.Topology.SINGLE;
		}

		@Override
		public Object getAbsentValue(DeserializationContext context) {
			return InstanceRecord.Topology.SINGLE;
		}

	}

}
