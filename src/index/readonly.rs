//! Searching an index the user may not write to (a read-only disk, an
//! archive owned by someone else): tantivy's reader takes a lock file
//! that such a directory cannot hold, and here goes without it.
//!
//! The lock keeps a writer's garbage collection from deleting the files of
//! a commit the reader is opening. A user who cannot write the directory
//! runs no writer there; the owner's writer may still collect, and a
//! reader caught by it fails to open a file (an error, never a wrong
//! result), as it would on any shared disk.

use std::io;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// A directory whose locks are held where it can, and skipped where the
/// file system refuses them.
#[derive(Clone, Debug)]
pub struct LockIfWritable(pub MmapDirectory);

impl Directory for LockIfWritable {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.0.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.0.sync_directory()
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(callback)
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(LockError::IoError(e)) if refused(&e) => Ok(DirectoryLock::from(Box::new(()))),
            other => other,
        }
    }
}

/// Whether the file system refused to write, as opposed to failing.
fn refused(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}
