"""The classroom's Structured Streaming job: listens from Kafka, joined on the song name with the
song catalogue, written to the classroom's Cassandra table (schema/classroom.cql).

playstream's repository never held the classroom's source, only its design (README: "It replaces
a classroom design"; DEVELOPERS.md): JSON messages {"id", "name", "song", "time"}, the catalogue's
CSV with the header name,artists,duration_ms,..., Python UDFs cutting `date` and `hour` out of
`time`, an inner join on the song name, spark-cassandra-connector writing every micro-batch, a 30 s
trigger. This file is that design written out the way such a job is written, and nothing more:
no tuning, the readers' defaults (the CSV reader's included), the connector's defaults.

Two changes for the benchmark (bench/classroom_spark.sh), marked BENCH below: the stream starts
at the earliest offsets and runs with trigger(availableNow=True), so the job reads the backlog
that is in the topic and stops, instead of waking every 30 s for ever; and a listener records the
query's progress, from which the benchmark takes the query's own time.

usage: spark-submit --jars ... listening_history_job.py BOOTSTRAP TOPIC CASSANDRA_HOST KEYSPACE
                    CATALOG CHECKPOINT_DIR PROGRESS_FILE
"""
import json
import sys
import time

from pyspark.sql import SparkSession
from pyspark.sql.functions import col, from_json, udf
from pyspark.sql.streaming import StreamingQueryListener
from pyspark.sql.types import IntegerType, StringType, StructField, StructType

bootstrap, topic, cassandra_host, keyspace, catalog, checkpoint, progress_file = sys.argv[1:8]

spark = (SparkSession.builder
         .appName("spotify-listening-history")
         .config("spark.cassandra.connection.host", cassandra_host)
         .getOrCreate())

event_schema = StructType([
    StructField("id", IntegerType()),
    StructField("name", StringType()),
    StructField("song", StringType()),
    StructField("time", StringType()),
])

# The catalogue's `name` is the song's; the listener's `name` is the user's.
songs = spark.read.csv(catalog, header=True, inferSchema=True).withColumnRenamed("name", "song")


@udf(returnType=StringType())
def get_date(t):
    return t.split(" ")[0]


@udf(returnType=IntegerType())
def get_hour(t):
    return int(t.split(" ")[1].split(":")[0])


listens = (spark.readStream
           .format("kafka")
           .option("kafka.bootstrap.servers", bootstrap)
           .option("subscribe", topic)
           .option("startingOffsets", "earliest")  # BENCH: the classroom read new listens ("latest")
           .load()
           .select(from_json(col("value").cast("string"), event_schema).alias("event"))
           .select("event.*")
           .withColumn("date", get_date(col("time")))
           .withColumn("hour", get_hour(col("time"))))

history = listens.join(songs, "song")


def write_to_cassandra(batch, batch_id):
    (batch.write
     .format("org.apache.spark.sql.cassandra")
     .options(table="listening_history", keyspace=keyspace)
     .mode("append")
     .save())


# BENCH: the query's progress, for its own time (start-up excluded) and its row counts.
class Progress(StreamingQueryListener):
    def __init__(self, path):
        self.out = open(path, "a")

    def write(self, record):
        record["at"] = time.time()
        self.out.write(json.dumps(record) + "\n")
        self.out.flush()

    def onQueryStarted(self, event):
        self.write({"event": "started", "timestamp": event.timestamp})

    def onQueryProgress(self, event):
        self.write({"event": "progress", "progress": json.loads(event.progress.json)})

    def onQueryIdle(self, event):
        pass

    def onQueryTerminated(self, event):
        self.write({"event": "terminated", "exception": event.exception})


spark.streams.addListener(Progress(progress_file))

query = (history.writeStream
         .foreachBatch(write_to_cassandra)
         .option("checkpointLocation", checkpoint)
         .trigger(availableNow=True)  # BENCH: the classroom's was processingTime="30 seconds"
         .start())
query.awaitTermination()
spark.stop()
