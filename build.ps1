<#
.SYNOPSIS
  Builds, tests, publishes and packages the solution on Windows. A thin sequence of dotnet calls: nothing lives only
  here, and on Linux the same dotnet commands do the same (README, "Tests and benchmarks" and "IT deployment").
.EXAMPLE
  .\build.ps1 release   # restore, test, publish, then the two MSIs into artifacts\installer, in that order
  .\build.ps1 test      # the whole test suite (on Windows the integration tests run the agent natively, no Wine)
  .\build.ps1 installer # only the MSIs (needs the WiX Toolset 3: candle and light, found through %WIX%)
  .\build.ps1 run       # the agent, serving this user's pipe
  .\build.ps1 publish   # the agent as a self-contained win-x64 folder under .artifacts\
  .\build.ps1 bench     # the bridge benchmark
#>
param(
    [ValidateSet('build', 'restore', 'test', 'publish', 'installer', 'release', 'run', 'bench')]
    [string] $Task = 'build',
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Restore   { Invoke-Dotnet restore Plugin.sln }
function Invoke-Test      { Invoke-Dotnet test Plugin.sln -c $Configuration }
function Invoke-Publish   { Invoke-Dotnet publish ClientBridge/ClientBridge/ClientBridge.csproj -c $Configuration -r win-x64 --self-contained true -o .artifacts/win-x64/ClientBridge }
# Installer.msbuildproj builds the add-in, publishes the agent into its own staging folder and runs candle and light.
function Invoke-Installer { Invoke-Dotnet build -c $Configuration Installer }

switch ($Task) {
    'build'     { Invoke-Dotnet build Plugin.sln -c $Configuration }
    'restore'   { Invoke-Restore }
    'test'      { Invoke-Test }
    'publish'   { Invoke-Publish }
    'installer' { Invoke-Installer }
    'release'   { Invoke-Restore; Invoke-Test; Invoke-Publish; Invoke-Installer }
    'run'       { Invoke-Dotnet run --project ClientBridge/ClientBridge -c $Configuration -- run }
    'bench'     { Invoke-Dotnet run -c Release --project tests/Benchmarks -- bridge }
}
