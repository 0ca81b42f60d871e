//! The compiled-module cache of `strata run`: compiled modules ([`Module::serialize`]) stored by
//! a hash of the binary and of the engine configuration, one file each.
//!
//! A missing, unreadable, stale (another strata version or configuration) or corrupt entry is
//! never fatal: [`Module::deserialize`] refuses it, the module is compiled again and the entry
//! rewritten. Entries are written to a temporary file and renamed into place, so concurrent
//! runs never see half an entry.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use strata_runtime::{Engine, Error, Module};

/// A cache directory.
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// A cache in `dir` (created when first written).
    pub fn new(dir: PathBuf) -> Self {
        Cache { dir }
    }

    /// The user's cache directory: `$XDG_CACHE_HOME/strata`, else `$HOME/.cache/strata`.
    pub fn default_dir() -> Option<PathBuf> {
        let nonempty = |v: &str| std::env::var_os(v).filter(|s| !s.is_empty());
        nonempty("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| nonempty("HOME").map(|h| Path::new(&h).join(".cache")))
            .map(|d| d.join("strata"))
    }

    /// The entry for `bytes` compiled by `engine`: 128 bits of hash over the binary, the
    /// engine configuration and the strata version.
    fn entry(&self, engine: &Engine, bytes: &[u8]) -> PathBuf {
        let config = engine.config();
        let digest = |seed: u64| {
            let mut h = DefaultHasher::new();
            seed.hash(&mut h);
            env!("CARGO_PKG_VERSION").hash(&mut h);
            format!("{:?}", config.get_backend().resolve()).hash(&mut h);
            config.get_features().bits().hash(&mut h);
            config.get_consume_fuel().hash(&mut h);
            config.get_interruptible().hash(&mut h);
            bytes.hash(&mut h);
            h.finish()
        };
        self.dir
            .join(format!("{:016x}{:016x}.cwasm", digest(1), digest(2)))
    }

    /// The compiled module from the cache, or compiled now (and cached).
    pub fn load_or_compile(&self, engine: &Engine, bytes: &[u8]) -> Result<Module, Error> {
        let entry = self.entry(engine, bytes);
        if let Ok(artefact) = std::fs::read(&entry) {
            if let Ok(module) = Module::deserialize(engine, &artefact) {
                return Ok(module);
            }
        }
        let module = Module::new(engine, bytes)?;
        self.store(&entry, &module.serialize());
        Ok(module)
    }

    /// Writes an entry atomically; failures only cost the next run a compilation.
    fn store(&self, entry: &Path, artefact: &[u8]) {
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let tmp = entry.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, artefact).is_ok() && std::fs::rename(&tmp, entry).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}
