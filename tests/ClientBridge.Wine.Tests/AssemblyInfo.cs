// Every test starts the agent on the one default endpoint of the Wine user (one agent per user and session), so
// the tests take turns.
[assembly: Microsoft.VisualStudio.TestTools.UnitTesting.DoNotParallelize]
