<#
.SYNOPSIS
  Builds, tests, publishes and packages the solution. A thin sequence of dotnet calls: nothing lives only here.
  Written for Windows and run on Linux too: .ci/run runs every verb but run and bench through the PowerShell of the
  repository's tool manifest (`dotnet tool restore`, then `dotnet pwsh -File build.ps1 VERB`), so this script is tested
  on every change.
.EXAMPLE
  .\build.ps1 release   # restore, test, publish, then the two MSIs into artifacts\installer, in that order
  .\build.ps1 test      # the whole test suite (on Windows the integration tests run the agent natively, no Wine)
  .\build.ps1 installer # only the MSIs (the WiX Toolset 3 on Windows, found through %WIX%; wixl on Linux)
  .\build.ps1 run       # the agent, serving this user's pipe
  .\build.ps1 publish   # the agent as a self-contained win-x64 folder under .artifacts\
  .\build.ps1 bench     # the bridge benchmark
  .\build.ps1 test -ResultsDirectory TestResults -TestVerbosity normal   # as CI: one TRX file per test assembly
#>
param(
    [ValidateSet('build', 'restore', 'test', 'publish', 'installer', 'release', 'run', 'bench')]
    [string] $Task = 'build',
    [string] $Configuration = 'Release',
    # test: also write a TRX file per test assembly into this folder (.ci/run adds up their counters).
    [string] $ResultsDirectory = '',
    # test: how much the console logger prints (quiet, minimal, normal, detailed); normal names every test.
    [ValidateSet('quiet', 'minimal', 'normal', 'detailed')]
    [string] $TestVerbosity = 'minimal'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Set-Location $PSScriptRoot

# Runs dotnet and stops the script with dotnet's own exit code when it fails, so callers (CI, a shell) see it.
function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

$solution = Join-Path $PSScriptRoot 'Plugin.sln'
$agent = Join-Path $PSScriptRoot (Join-Path 'ClientBridge' (Join-Path 'ClientBridge' 'ClientBridge.csproj'))
$published = Join-Path $PSScriptRoot (Join-Path '.artifacts' (Join-Path 'win-x64' 'ClientBridge'))

function Invoke-Restore { Invoke-Dotnet restore $solution }

function Invoke-Test {
    $arguments = @('test', $solution, '--configuration', $Configuration, '--logger', "console;verbosity=$TestVerbosity")
    if ($ResultsDirectory) {
        $arguments += @('--logger', 'trx', '--results-directory', $ResultsDirectory)
    }
    Invoke-Dotnet @arguments
}

function Invoke-Publish { Invoke-Dotnet publish $agent --configuration $Configuration --runtime win-x64 --self-contained true --output $published }

# Installer.msbuildproj builds the add-in, publishes the agent into its own staging folder and runs candle and light
# (wixl on Linux).
function Invoke-Installer { Invoke-Dotnet build (Join-Path $PSScriptRoot 'Installer') --configuration $Configuration }

switch ($Task) {
    'build'     { Invoke-Dotnet build $solution --configuration $Configuration }
    'restore'   { Invoke-Restore }
    'test'      { Invoke-Test }
    'publish'   { Invoke-Publish }
    'installer' { Invoke-Installer }
    'release'   { Invoke-Restore; Invoke-Test; Invoke-Publish; Invoke-Installer }
    'run'       { Invoke-Dotnet run --project (Split-Path $agent) --configuration $Configuration -- run }
    'bench'     { Invoke-Dotnet run --configuration Release --project (Join-Path $PSScriptRoot (Join-Path 'tests' 'Benchmarks')) -- bridge }
}
exit 0
