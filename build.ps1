<#
.SYNOPSIS
  Builds, tests, runs or publishes the solution on Windows. A thin sequence of dotnet calls: nothing lives only here.
.EXAMPLE
  .\build.ps1 test      # the whole test suite (on Windows the integration tests run the agent natively, no Wine)
  .\build.ps1 run       # the agent, serving this user's pipe
  .\build.ps1 publish   # the agent as a self-contained win-x64 folder under .artifacts\
  .\build.ps1 bench     # the bridge benchmark
#>
param(
    [ValidateSet('build', 'test', 'run', 'publish', 'bench')]
    [string] $Task = 'build',
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

switch ($Task) {
    'build'   { Invoke-Dotnet build Plugin.sln -c $Configuration }
    'test'    { Invoke-Dotnet test Plugin.sln -c $Configuration }
    'run'     { Invoke-Dotnet run --project ClientBridge/ClientBridge -c $Configuration -- run }
    'publish' { Invoke-Dotnet publish ClientBridge/ClientBridge/ClientBridge.csproj -c $Configuration -r win-x64 --self-contained true -o .artifacts/win-x64/ClientBridge }
    'bench'   { Invoke-Dotnet run -c Release --project tests/Benchmarks -- bridge }
}
