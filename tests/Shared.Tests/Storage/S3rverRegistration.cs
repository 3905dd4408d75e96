using QuikApp.Workers.Testing.Storage;

// One s3rver for the assembly, started by the first test that needs it and killed at the end of the run.
[assembly: AssemblyFixture(typeof(S3rverFixture))]
