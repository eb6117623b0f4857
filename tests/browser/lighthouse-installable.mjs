// A Lighthouse config with one audit, `installable-manifest`: Lighthouse 12 removed its PWA
// category and with it the audit of that name, so this brings it back as a custom gatherer
// and audit over the same DevTools protocol calls the removed one read (Chromium's own
// installability check and its parse of the manifest). Run by tests/browser/test_work.py:
//   lighthouse URL --config-path=tests/browser/lighthouse-installable.mjs --output=json

import { Audit, Gatherer } from "lighthouse";

/** Chromium's verdict on the page's manifest: {manifestUrl, parseErrors, errors}. */
class Installability extends Gatherer {
  meta = { supportedModes: ["navigation", "snapshot"] };

  async getArtifact(context) {
    const session = context.driver.defaultSession;
    // Asking for the manifest first makes Chromium fetch it, which the check needs.
    const manifest = await session.sendCommand("Page.getAppManifest");
    const { installabilityErrors } = await session.sendCommand("Page.getInstallabilityErrors");
    return {
      manifestUrl: manifest.url || "",
      parseErrors: (manifest.errors || []).map((e) => `${e.message} (line ${e.line})`),
      errors: installabilityErrors.map((e) => ({
        errorId: e.errorId,
        arguments: e.errorArguments.map((a) => `${a.name}=${a.value}`).join(", "),
      })),
    };
  }
}

class InstallableManifest extends Audit {
  static get meta() {
    return {
      id: "installable-manifest",
      title: "Web app manifest and service worker meet the installability requirements",
      failureTitle: "Web app manifest or service worker do not meet the installability requirements",
      description: "Chromium's installability check (Page.getInstallabilityErrors) finds nothing to object to.",
      requiredArtifacts: ["Installability"],
    };
  }

  static audit(artifacts) {
    const { manifestUrl, parseErrors, errors } = artifacts.Installability;
    // No manifest at all is one of Chromium's own errors ("no-manifest").
    const items = [
      ...parseErrors.map((message) => ({ errorId: "manifest-parse-error", arguments: message })),
      ...errors,
    ];
    const headings = [
      { key: "errorId", valueType: "text", label: "Installability error" },
      { key: "arguments", valueType: "text", label: "Arguments" },
    ];
    return {
      score: items.length === 0 ? 1 : 0,
      displayValue: manifestUrl,
      details: Audit.makeTableDetails(headings, items),
    };
  }
}

export default {
  artifacts: [{ id: "Installability", gatherer: { implementation: Installability } }],
  audits: [{ implementation: InstallableManifest }],
  categories: {
    installable: {
      title: "Installable",
      auditRefs: [{ id: "installable-manifest", weight: 1 }],
    },
  },
  settings: { onlyAudits: ["installable-manifest"] },
};
