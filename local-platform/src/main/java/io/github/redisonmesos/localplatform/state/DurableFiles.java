package io.github.redisonmesos.localplatform.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes state files so that a crash (even of the machine) leaves either the old or the
 * new content, never a torn file, and a write that returned is on disk: temporary file,
 * fsync, atomic rename, fsync of the directory.
 */
public final class DurableFiles {

	private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

	private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

	private DurableFiles() {
	}

	/**
	 * Replaces a file's content atomically and durably.
	 * @param file the file
	 * @param content the new content
	 * @param secret whether the content can hold secrets: the file and the directories
	 * created for it are then readable by the owner only
	 * @throws IOException when the content cannot be made durable; the old content is
	 * then still in place
	 */
	public static void write(Path file, byte[] content, boolean secret) throws IOException {
		Path dir = file.toAbsolutePath().getParent();
		createDirectories(dir, secret);
		Path temp = dir.resolve("." + file.getFileName() + ".tmp");
		Files.deleteIfExists(temp);
		FileAttribute<?>[] attributes = secret
				? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE) }
				: new FileAttribute<?>[0];
		try {
			try (FileChannel channel = FileChannel.open(temp,
					Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
				ByteBuffer buffer = ByteBuffer.wrap(content);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			Files.deleteIfExists(temp);
			throw ex;
		}
		// The rename is durable only once the directory entry is.
		syncDirectory(dir);
	}

	/**
	 * Deletes a file durably.
	 * @param file the file
	 * @throws IOException when it cannot be deleted
	 */
	public static void delete(Path file) throws IOException {
		if (Files.deleteIfExists(file)) {
			syncDirectory(file.toAbsolutePath().getParent());
		}
	}

	/**
	 * Creates a directory and its missing parents, each entry made durable.
	 * @param dir the directory
	 * @param ownerOnly whether directories created here are accessible by the owner only
	 * @throws IOException when a directory cannot be created
	 */
	public static void createDirectories(Path dir, boolean ownerOnly) throws IOException {
		Path absolute = dir.toAbsolutePath();
		if (Files.isDirectory(absolute)) {
			return;
		}
		createDirectories(absolute.getParent(), ownerOnly);
		try {
			if (ownerOnly) {
				Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
			}
			else {
				Files.createDirectory(absolute);
			}
		}
		catch (FileAlreadyExistsException ex) {
			// Created by a concurrent writer in the meantime: what was wanted.
			if (!Files.isDirectory(absolute)) {
				throw ex;
			}
		}
		syncDirectory(absolute.getParent());
	}

	/**
	 * Deletes a directory tree without following links: a link to a directory elsewhere
	 * (a volume linked into a sandbox) is removed, what it points to is kept. An entry
	 * that vanishes meanwhile (a process removing its own files) is not an error.
	 * @param root the directory (or file); nothing happens when it does not exist
	 * @throws IOException when an entry cannot be deleted
	 */
	public static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		Files.walkFileTree(root, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				Files.deleteIfExists(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFileFailed(Path file, IOException ex) throws IOException {
				if (ex instanceof NoSuchFileException) {
					return FileVisitResult.CONTINUE;
				}
				throw ex;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path dir, IOException ex) throws IOException {
				if (ex != null && !(ex instanceof NoSuchFileException)) {
					throw ex;
				}
				Files.deleteIfExists(dir);
				return FileVisitResult.CONTINUE;
			}
		});
		syncDirectory(root.toAbsolutePath().getParent());
	}

	private static void syncDirectory(Path dir) throws IOException {
		try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

}
