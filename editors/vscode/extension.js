// The smallest VS Code extension that runs `ecslint lsp`: every feature comes from the server.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate() {
  const command = vscode.workspace.getConfiguration("ecslint").get("path") || "ecslint";
  client = new LanguageClient(
    "ecslint",
    "ecslint",
    { command, args: ["lsp"] },
    {
      documentSelector: [
        { scheme: "file", language: "json" },
        { scheme: "file", language: "jsonc" },
        { scheme: "file", language: "yaml" },
        { scheme: "file", language: "terraform" },
        { scheme: "file", pattern: "**/*.tf" },
      ],
    },
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
