/*
 * keystore.c -- secrets at rest: the key file named by [security] key_file
 * and the libsodium secretbox that seals a byte string under its current
 * key. Never writes a key or a plain text anywhere but the caller's buffer
 * (and, for `key init`/`key rotate`, the key file itself); keys live in
 * sodium_malloc'd memory, read-only once loaded, zeroed when freed.
 *
 * The key file: one key a line, "ID BASE64" (ID 1..255, BASE64 the 32 key
 * bytes in standard base64); '#' lines are comments; the last key is the
 * current one, the ones above it are kept so older ciphertexts still open.
 * Mode 0600 or stricter, or it is refused (like ssh's private keys).
 *
 * A sealed value: "sb1:" then base64url (no padding) of
 *   key id (1 byte) | nonce (24 bytes) | MAC (16 bytes) | cipher text
 * so its key is known without trying each one, and `key reencrypt` can see
 * which values are not under the current key yet.
 */
#include "config.h"
#include "lib/lib.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_BYTES  crypto_secretbox_KEYBYTES
#define NONCE      crypto_secretbox_NONCEBYTES
#define MAC        crypto_secretbox_MACBYTES
#define HEAD       (1 + NONCE + MAC)
#define PREFIX     "sb1:"
#define PREFIX_LEN 4
#define FILE_MAX   (64 * 1024) /* 255 keys take ~13 KB */

_Static_assert(KEY_BYTES == 32 && NONCE == 24 && MAC == 16,
               "TP_SEALED_LEN assumes XSalsa20-Poly1305's sizes");
_Static_assert(TP_SEALED_LEN(20) ==
                   PREFIX_LEN +
                       sodium_base64_ENCODED_LEN(
                           HEAD + 20, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
               "TP_SEALED_LEN matches libsodium's base64 length");

/* The keys of this process: loaded before any thread starts (worker
 * start, tierportctl), read-only afterwards, so no lock. */
static struct {
	unsigned n;
	unsigned char ids[255];
	unsigned char *keys; /* n * KEY_BYTES, sodium_malloc'd, read-only */
} ks;

void tp_keystore_free(void)
{
	if (ks.keys != NULL) {
		sodium_mprotect_readwrite(ks.keys);
		sodium_free(ks.keys); /* zeroes it */
	}
	memset(&ks, 0, sizeof(ks));
}

bool tp_keystore_loaded(void)
{
	return ks.n > 0;
}

unsigned tp_keystore_current(void)
{
	return ks.n > 0 ? ks.ids[ks.n - 1] : 0;
}

/* Reads the whole key file into a sodium_malloc'd buffer (zeroed when
 * freed), refusing one that others may read. NULL with err set. */
static char *read_key_file(const char *path, size_t *len, char *err,
                           size_t errlen)
{
	struct stat st;
	/* a symlink is followed (secret mounts are often links); what it
	 * points at must be a regular file nobody else may read */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(
		    err, errlen,
		    "%s: cannot open: %s (`tierportctl key init` makes one)",
		    path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if ((st.st_mode & 077) != 0) {
		snprintf(err, errlen,
		         "%s: mode %03o lets others read the keys: chmod 600 "
		         "it",
		         path, (unsigned)(st.st_mode & 0777));
		close(fd);
		return NULL;
	}
	if (st.st_size >= FILE_MAX) {
		snprintf(err, errlen, "%s: too big for a key file", path);
		close(fd);
		return NULL;
	}
	char *buf = sodium_malloc(FILE_MAX);
	size_t n = 0;
	ssize_t got = 0;
	if (buf == NULL) {
		snprintf(err, errlen, "out of memory");
		close(fd);
		return NULL;
	}
	while (n < FILE_MAX - 1 &&
	       ((got = read(fd, buf + n, FILE_MAX - 1 - n)) > 0 ||
	        (got < 0 && errno == EINTR)))
		n += got > 0 ? (size_t)got : 0;
	close(fd);
	if (got < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
		         strerror(errno));
		sodium_free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Parses the file's text into ids[] and keys (n * KEY_BYTES). */
static tp_rc parse_keys(const char *path, char *text, unsigned char *ids,
                        unsigned char *keys, unsigned *n, char *err,
                        size_t errlen)
{
	unsigned line = 0;
	char *save = NULL;

	*n = 0;
	for (char *l = strtok_r(text, "\n", &save); l != NULL;
	     l = strtok_r(NULL, "\n", &save)) {
		line++;
		l[strcspn(l, "\r")] = '\0';
		if (*l == '#' || *l == '\0')
			continue;
		char *end;
		errno = 0;
		long id = strtol(l, &end, 10);
		size_t klen = 0;
		if (errno != 0 || end == l || id < 1 || id > 255 ||
		    *end != ' ') {
			snprintf(err, errlen,
			         "%s:%u: not \"ID BASE64\" with an ID from 1 "
			         "to 255",
			         path, line);
			return TP_EINVAL;
		}
		for (unsigned i = 0; i < *n; i++)
			if (ids[i] == id) {
				snprintf(err, errlen, "%s:%u: key %ld twice",
				         path, line, id);
				return TP_EINVAL;
			}
		if (*n >= 255) {
			snprintf(err, errlen, "%s: more than 255 keys", path);
			return TP_EINVAL;
		}
		if (sodium_base642bin(keys + (size_t)*n * KEY_BYTES, KEY_BYTES,
		                      end + 1, strlen(end + 1), NULL, &klen,
		                      NULL,
		                      sodium_base64_VARIANT_ORIGINAL) != 0 ||
		    klen != KEY_BYTES) {
			snprintf(err, errlen,
			         "%s:%u: key %ld is not 32 bytes in base64",
			         path, line, id);
			return TP_EINVAL;
		}
		ids[(*n)++] = (unsigned char)id;
	}
	if (*n == 0) {
		snprintf(err, errlen, "%s: no key in it", path);
		return TP_EINVAL;
	}
	return TP_OK;
}

tp_rc tp_keystore_load(const char *path, char *err, size_t errlen)
{
	size_t len;
	unsigned n;
	unsigned char ids[255];

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to initialise");
		return TP_EINTERNAL;
	}
	if (path == NULL || *path == '\0') {
		snprintf(err, errlen, "[security] key_file is not set");
		return TP_EINVAL;
	}
	char *text = read_key_file(path, &len, err, errlen);
	if (text == NULL)
		return TP_ENOENT;
	unsigned char *keys = sodium_malloc(255 * KEY_BYTES);
	if (keys == NULL) {
		sodium_free(text);
		snprintf(err, errlen, "out of memory");
		return TP_EINTERNAL;
	}
	tp_rc rc = parse_keys(path, text, ids, keys, &n, err, errlen);
	sodium_free(text);
	if (rc != TP_OK) {
		sodium_free(keys);
		return rc;
	}
	sodium_mprotect_readonly(keys);
	tp_keystore_free();
	ks.n = n;
	memcpy(ks.ids, ids, n);
	ks.keys = keys;
	return TP_OK;
}

/* Writes text as the key file at path, whole or not at all: a 0600 file
 * beside it, fsync'd, renamed over it. */
static tp_rc write_key_file(const char *path, const char *text, size_t len,
                            char *err, size_t errlen)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.new", path) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return TP_EINVAL;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return TP_EINTERNAL;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	bool ok = off == len && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: cannot write: %s", path,
		         strerror(errno));
		unlink(tmp);
		return TP_EINTERNAL;
	}
	return TP_OK;
}

/* One "ID BASE64\n" line for a new random key, into line (64 bytes). */
static void new_key_line(unsigned id, char line[64])
{
	unsigned char *k = sodium_malloc(KEY_BYTES);
	char b64[sodium_base64_ENCODED_LEN(KEY_BYTES,
	                                   sodium_base64_VARIANT_ORIGINAL)];
	randombytes_buf(k, KEY_BYTES);
	sodium_bin2base64(b64, sizeof(b64), k, KEY_BYTES,
	                  sodium_base64_VARIANT_ORIGINAL);
	sodium_free(k);
	snprintf(line, 64, "%u %s\n", id, b64);
	sodium_memzero(b64, sizeof(b64));
}

tp_rc tp_keystore_init_file(const char *path, char *err, size_t errlen)
{
	static const char head[] =
	    "# tierport key file ([security] key_file): \"ID BASE64\" a line;\n"
	    "# the last key seals, the others still open what they sealed.\n"
	    "# Keep it 0600, out of the database and its backups' reach, and\n"
	    "# back it up: without it sealed values are lost.\n";
	char text[sizeof(head) + 64];
	char line[64];
	struct stat st;

	if (sodium_init() < 0)
		return TP_EINTERNAL;
	if (lstat(path, &st) == 0) {
		snprintf(err, errlen, "%s exists already", path);
		return TP_ECONFLICT;
	}
	new_key_line(1, line);
	snprintf(text, sizeof(text), "%s%s", head, line);
	tp_rc rc = write_key_file(path, text, strlen(text), err, errlen);
	sodium_memzero(line, sizeof(line));
	sodium_memzero(text, sizeof(text));
	return rc;
}

tp_rc tp_keystore_rotate(const char *path, unsigned *new_id, char *err,
                         size_t errlen)
{
	size_t len;
	unsigned n, max = 0;
	unsigned char ids[255];
	char line[64];

	if (sodium_init() < 0)
		return TP_EINTERNAL;
	char *text = read_key_file(path, &len, err, errlen);
	if (text == NULL)
		return TP_ENOENT;
	/* parse a copy (strtok_r cuts it up); the text is kept as it is */
	char *copy = sodium_malloc(len + 1);
	unsigned char *keys = sodium_malloc(255 * KEY_BYTES);
	tp_rc rc = copy && keys ? TP_OK : TP_EINTERNAL;
	if (rc == TP_OK) {
		memcpy(copy, text, len + 1);
		rc = parse_keys(path, copy, ids, keys, &n, err, errlen);
	}
	if (copy != NULL)
		sodium_free(copy);
	if (keys != NULL)
		sodium_free(keys);
	for (unsigned i = 0; rc == TP_OK && i < n; i++)
		max = ids[i] > max ? ids[i] : max;
	if (rc == TP_OK && max >= 255) {
		snprintf(err, errlen,
		         "%s: key 255 is in use: ids do not wrap (reencrypt, "
		         "then start a new file from the current key as 1 by "
		         "hand)",
		         path);
		rc = TP_ECONFLICT;
	}
	char *out = rc == TP_OK ? sodium_malloc(len + 1 + 64) : NULL;
	if (rc == TP_OK && out == NULL)
		rc = TP_EINTERNAL;
	if (rc == TP_OK) {
		new_key_line(max + 1, line);
		memcpy(out, text, len);
		size_t o = len;
		if (o > 0 && out[o - 1] != '\n')
			out[o++] = '\n';
		memcpy(out + o, line, strlen(line));
		o += strlen(line);
		rc = write_key_file(path, out, o, err, errlen);
		sodium_memzero(line, sizeof(line));
		sodium_free(out);
		if (rc == TP_OK)
			*new_id = max + 1;
	}
	sodium_free(text);
	return rc;
}

static const unsigned char *key_of(unsigned id)
{
	for (unsigned i = 0; i < ks.n; i++)
		if (ks.ids[i] == id)
			return ks.keys + (size_t)i * KEY_BYTES;
	return NULL;
}

tp_rc tp_seal(const void *plain, size_t len, char *out, size_t cap)
{
	if (out == NULL || cap == 0 || (plain == NULL && len > 0))
		return TP_EINVAL;
	out[0] = '\0';
	if (ks.n == 0)
		return TP_EUNAVAIL;
	if (len > (SIZE_MAX - 64) / 2 || cap < TP_SEALED_LEN(len))
		return TP_ETOOBIG;
	size_t blen = HEAD + len;
	unsigned char *box = malloc(blen);
	if (box == NULL)
		return TP_EINTERNAL;
	unsigned id = tp_keystore_current();
	box[0] = (unsigned char)id;
	randombytes_buf(box + 1, NONCE);
	crypto_secretbox_easy(box + 1 + NONCE, plain, len, box + 1, key_of(id));
	memcpy(out, PREFIX, PREFIX_LEN);
	sodium_bin2base64(out + PREFIX_LEN, cap - PREFIX_LEN, box, blen,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	free(box);
	return TP_OK;
}

/* The binary form of a sealed value, malloc'd; TP_EINVAL if not one. */
static tp_rc decode(const char *sealed, unsigned char **box, size_t *blen)
{
	*box = NULL;
	if (sealed == NULL || strncmp(sealed, PREFIX, PREFIX_LEN) != 0)
		return TP_EINVAL;
	size_t slen = strlen(sealed + PREFIX_LEN);
	size_t cap = slen / 4 * 3 + 3;
	if (slen < 4 || cap < HEAD)
		return TP_EINVAL;
	unsigned char *b = malloc(cap);
	if (b == NULL)
		return TP_EINTERNAL;
	if (sodium_base642bin(b, cap, sealed + PREFIX_LEN, slen, NULL, blen,
	                      NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    *blen < HEAD) {
		free(b);
		return TP_EINVAL;
	}
	*box = b;
	return TP_OK;
}

int tp_sealed_key_id(const char *sealed)
{
	unsigned char *box;
	size_t blen;
	if (decode(sealed, &box, &blen) != TP_OK)
		return -1;
	int id = box[0];
	free(box);
	return id;
}

bool tp_is_sealed(const char *s)
{
	return s != NULL && strncmp(s, PREFIX, PREFIX_LEN) == 0;
}

tp_rc tp_unseal(const char *sealed, void *out, size_t cap, size_t *len)
{
	unsigned char *box;
	size_t blen;

	if (len != NULL)
		*len = 0;
	if (out == NULL && cap > 0)
		return TP_EINVAL;
	tp_rc rc = decode(sealed, &box, &blen);
	if (rc != TP_OK)
		return rc;
	const unsigned char *key = key_of(box[0]);
	size_t plen = blen - HEAD;
	if (key == NULL) {
		rc = ks.n == 0 ? TP_EUNAVAIL : TP_ENOENT;
	} else if (cap < plen) {
		rc = TP_ETOOBIG;
	} else if (crypto_secretbox_open_easy(out, box + 1 + NONCE,
	                                      blen - 1 - NONCE, box + 1,
	                                      key) != 0) {
		/* altered, or sealed under another key of the same id */
		sodium_memzero(out, plen);
		rc = TP_EAUTH;
	} else if (len != NULL) {
		*len = plen;
	}
	free(box);
	return rc;
}

tp_rc tp_reseal(const char *sealed, char *out, size_t cap, bool *changed)
{
	*changed = false;
	if (tp_is_sealed(sealed) &&
	    tp_sealed_key_id(sealed) == (int)tp_keystore_current()) {
		return TP_OK;
	}
	size_t slen = sealed != NULL ? strlen(sealed) : 0;
	unsigned char *plain = sodium_malloc(slen + 1);
	size_t plen = 0;
	if (plain == NULL)
		return TP_EINTERNAL;
	tp_rc rc = tp_unseal(sealed, plain, slen + 1, &plen);
	if (rc == TP_OK)
		rc = tp_seal(plain, plen, out, cap);
	sodium_free(plain);
	if (rc == TP_OK)
		*changed = true;
	return rc;
}
