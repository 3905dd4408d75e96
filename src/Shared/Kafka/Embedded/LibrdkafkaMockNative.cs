using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace QuikApp.Workers.Shared.Kafka.Embedded;

/// <summary>Binds librdkafka's mock-cluster API (rdkafka_mock.h, 2.16.0) in the very copy Confluent.Kafka loaded.</summary>
/// <remarks>
/// Exports are bound with <see cref="NativeLibrary.GetExport"/> and called through function pointers rather than
/// <c>[DllImport]</c> plus <see cref="NativeLibrary.SetDllImportResolver"/>: the file is only known at run time
/// (Confluent.Kafka silently falls back to e.g. <c>centos8-librdkafka.so</c> when the default build's dependencies
/// are missing), binding by name could load a second copy with its own global state, and an assembly gets only one
/// resolver, which this class should not claim for all of Shared. <c>rd_kafka_resp_err_t</c> is passed as
/// <see cref="ErrorCode"/>: same values, both 32-bit.
/// </remarks>
internal static unsafe class LibrdkafkaMockNative
{
    private const int ErrstrSize = 512;
    private const int ProducerType = 0; // RD_KAFKA_PRODUCER
    private const int ConfOk = 0; // RD_KAFKA_CONF_OK

    /// <summary>Full path of the bound librdkafka file on Linux; the library name elsewhere.</summary>
    public static string LoadedLibraryPath => Exports.LibraryPath;

    /// <summary>Creates a quiet producer handle to own a mock cluster; free it with <see cref="Destroy"/>.</summary>
    public static nint NewOwnerHandle()
    {
        var errstr = stackalloc byte[ErrstrSize];
        var conf = ((delegate* unmanaged[Cdecl]<nint>)Exports.ConfNew)();
        fixed (byte* name = Utf8("log_level"), value = Utf8("3"))
        {
            if (((delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, nuint, int>)Exports.ConfSet)(conf, name, value, errstr, ErrstrSize) != ConfOk)
            {
                ((delegate* unmanaged[Cdecl]<nint, void>)Exports.ConfDestroy)(conf);
                throw new EmbeddedKafkaException($"rd_kafka_conf_set failed: {Marshal.PtrToStringUTF8((nint)errstr)}");
            }
        }

        // rd_kafka_new takes ownership of conf only when it succeeds.
        var rk = ((delegate* unmanaged[Cdecl]<int, nint, byte*, nuint, nint>)Exports.New)(ProducerType, conf, errstr, ErrstrSize);
        if (rk == 0)
        {
            ((delegate* unmanaged[Cdecl]<nint, void>)Exports.ConfDestroy)(conf);
            throw new EmbeddedKafkaException($"rd_kafka_new failed: {Marshal.PtrToStringUTF8((nint)errstr)}");
        }

        return rk;
    }

    /// <summary>Destroys a handle made by <see cref="NewOwnerHandle"/>; destroy its mock cluster first or the process aborts.</summary>
    public static void Destroy(nint rk) => ((delegate* unmanaged[Cdecl]<nint, void>)Exports.Destroy)(rk);

    /// <summary>Starts a mock cluster of <paramref name="brokers"/> brokers (ids 1..N) owned by <paramref name="rk"/>.</summary>
    public static nint ClusterNew(nint rk, int brokers) =>
        ((delegate* unmanaged[Cdecl]<nint, int, nint>)Exports.ClusterNew)(rk, brokers);

    /// <summary>Stops the mock cluster's brokers and frees it.</summary>
    public static void ClusterDestroy(nint mcluster) =>
        ((delegate* unmanaged[Cdecl]<nint, void>)Exports.ClusterDestroy)(mcluster);

    /// <summary>Returns the cluster's bootstrap list, "127.0.0.1:port,...".</summary>
    public static string ClusterBootstraps(nint mcluster) =>
        Marshal.PtrToStringUTF8(((delegate* unmanaged[Cdecl]<nint, nint>)Exports.ClusterBootstraps)(mcluster)) ?? "";

    /// <summary>Sets group.initial.rebalance.delay.ms on every broker.</summary>
    public static void GroupInitialRebalanceDelayMs(nint mcluster, int delayMs) =>
        ((delegate* unmanaged[Cdecl]<nint, int, void>)Exports.GroupInitialRebalanceDelayMs)(mcluster, delayMs);

    /// <summary>Sets the heartbeat interval the brokers hand to KIP-848 (group.protocol=consumer) members.</summary>
    public static void GroupConsumerHeartbeatIntervalMs(nint mcluster, int intervalMs) =>
        ((delegate* unmanaged[Cdecl]<nint, int, void>)Exports.GroupConsumerHeartbeatIntervalMs)(mcluster, intervalMs);

    /// <summary>Creates a topic in the mock cluster (the mock does not implement Admin CreateTopics).</summary>
    public static ErrorCode TopicCreate(nint mcluster, string topic, int partitions, int replicationFactor)
    {
        fixed (byte* name = Utf8(topic))
        {
            return ((delegate* unmanaged[Cdecl]<nint, byte*, int, int, ErrorCode>)Exports.TopicCreate)(mcluster, name, partitions, replicationFactor);
        }
    }

    /// <summary>Makes a broker drop its connections and refuse new ones; leadership does not move.</summary>
    public static ErrorCode BrokerSetDown(nint mcluster, int brokerId) =>
        ((delegate* unmanaged[Cdecl]<nint, int, ErrorCode>)Exports.BrokerSetDown)(mcluster, brokerId);

    /// <summary>Makes a broker accept connections again.</summary>
    public static ErrorCode BrokerSetUp(nint mcluster, int brokerId) =>
        ((delegate* unmanaged[Cdecl]<nint, int, ErrorCode>)Exports.BrokerSetUp)(mcluster, brokerId);

    /// <summary>Fails the next requests of <paramref name="apiKey"/> cluster-wide, one per error, in order.</summary>
    public static void PushRequestErrors(nint mcluster, short apiKey, ReadOnlySpan<ErrorCode> errors)
    {
        fixed (ErrorCode* errs = errors)
        {
            ((delegate* unmanaged[Cdecl]<nint, short, nuint, ErrorCode*, void>)Exports.PushRequestErrorsArray)(mcluster, apiKey, (nuint)errors.Length, errs);
        }
    }

    /// <summary>Drops the errors still queued for <paramref name="apiKey"/>.</summary>
    public static void ClearRequestErrors(nint mcluster, short apiKey) =>
        ((delegate* unmanaged[Cdecl]<nint, short, void>)Exports.ClearRequestErrors)(mcluster, apiKey);

    /// <summary>Moves a partition's leadership to <paramref name="brokerId"/> (-1 makes it leaderless).</summary>
    public static ErrorCode PartitionSetLeader(nint mcluster, string topic, int partition, int brokerId)
    {
        fixed (byte* name = Utf8(topic))
        {
            return ((delegate* unmanaged[Cdecl]<nint, byte*, int, int, ErrorCode>)Exports.PartitionSetLeader)(mcluster, name, partition, brokerId);
        }
    }

    /// <summary>Pins the coordinator of a "group" or "transaction" key to <paramref name="brokerId"/>.</summary>
    public static ErrorCode CoordinatorSet(nint mcluster, string keyType, string key, int brokerId)
    {
        fixed (byte* type = Utf8(keyType), name = Utf8(key))
        {
            return ((delegate* unmanaged[Cdecl]<nint, byte*, byte*, int, ErrorCode>)Exports.CoordinatorSet)(mcluster, type, name, brokerId);
        }
    }

    /// <summary>Returns librdkafka's description of an error code (rd_kafka_err2str).</summary>
    public static string ErrorToString(ErrorCode error) =>
        Marshal.PtrToStringUTF8(((delegate* unmanaged[Cdecl]<ErrorCode, nint>)Exports.Err2Str)(error)) ?? error.ToString();

    private static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value + '\0');

    // Nested so the library is located and bound on first use, exactly once, in field order.
    private static class Exports
    {
        public static readonly string LibraryPath = FindConfluentLibrary();
        private static readonly nint Handle = LoadSameImage(LibraryPath);

        public static readonly nint ConfNew = Bind("rd_kafka_conf_new");
        public static readonly nint ConfSet = Bind("rd_kafka_conf_set");
        public static readonly nint ConfDestroy = Bind("rd_kafka_conf_destroy");
        public static readonly nint New = Bind("rd_kafka_new");
        public static readonly nint Destroy = Bind("rd_kafka_destroy");
        public static readonly nint Err2Str = Bind("rd_kafka_err2str");
        public static readonly nint ClusterNew = Bind("rd_kafka_mock_cluster_new");
        public static readonly nint ClusterDestroy = Bind("rd_kafka_mock_cluster_destroy");
        public static readonly nint ClusterBootstraps = Bind("rd_kafka_mock_cluster_bootstraps");
        public static readonly nint GroupInitialRebalanceDelayMs = Bind("rd_kafka_mock_group_initial_rebalance_delay_ms");
        public static readonly nint GroupConsumerHeartbeatIntervalMs = Bind("rd_kafka_mock_set_group_consumer_heartbeat_interval_ms");
        public static readonly nint TopicCreate = Bind("rd_kafka_mock_topic_create");
        public static readonly nint BrokerSetDown = Bind("rd_kafka_mock_broker_set_down");
        public static readonly nint BrokerSetUp = Bind("rd_kafka_mock_broker_set_up");
        public static readonly nint PushRequestErrorsArray = Bind("rd_kafka_mock_push_request_errors_array");
        public static readonly nint ClearRequestErrors = Bind("rd_kafka_mock_clear_request_errors");
        public static readonly nint PartitionSetLeader = Bind("rd_kafka_mock_partition_set_leader");
        public static readonly nint CoordinatorSet = Bind("rd_kafka_mock_coordinator_set");

        private static nint Bind(string export) => NativeLibrary.GetExport(Handle, export);

        private static string FindConfluentLibrary()
        {
            // Let Confluent.Kafka choose and load its build first, so there is exactly one file to bind.
            Library.Load();
            if (!OperatingSystem.IsLinux())
            {
                // No /proc/self/maps here; loading by name returns the module already loaded under that name.
                return "librdkafka";
            }

            var paths = MappedLibrdkafka().Select(m => m.Path).Distinct().ToList();
            return paths is [var path]
                ? path
                : throw new EmbeddedKafkaException(
                    $"Expected one librdkafka mapped into the process, found [{string.Join(", ", paths)}].");
        }

        private static nint LoadSameImage(string path)
        {
            var handle = NativeLibrary.Load(path, typeof(Library).Assembly, null);
            if (!OperatingSystem.IsLinux())
            {
                return handle;
            }

            // Proof that we bound Confluent's image, not a second copy: an export lies inside that file's
            // mapping and still no other librdkafka file is mapped.
            var probe = (ulong)NativeLibrary.GetExport(handle, "rd_kafka_version");
            var mapped = MappedLibrdkafka();
            return mapped.All(m => m.Path == path) && mapped.Any(m => probe >= m.Start && probe < m.End)
                ? handle
                : throw new EmbeddedKafkaException($"Binding {path} did not resolve to the librdkafka Confluent.Kafka loaded.");
        }

        private static List<(string Path, ulong Start, ulong End)> MappedLibrdkafka()
        {
            // Each line: "start-end perms offset dev inode [path]".
            var mappings = new List<(string, ulong, ulong)>();
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length == 6 && Path.GetFileName(fields[5]).Contains("librdkafka", StringComparison.Ordinal))
                {
                    var range = fields[0].Split('-');
                    mappings.Add((fields[5].Trim(), ParseHex(range[0]), ParseHex(range[1])));
                }
            }

            return mappings;
        }

        private static ulong ParseHex(string value) => ulong.Parse(value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
