/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Windows base types Winsock prototypes are written in.
 *
 * Windows is LLP64: DWORD, LONG and ULONG are 32 bits wide on every
 * Windows ABI, so they are fixed-width here too, never "long".  The
 * pointer-sized types follow the pointer, as on Win32 and Win64.
 */
#ifndef WSACONNECT_WINTYPES_H
#define WSACONNECT_WINTYPES_H

#include <stddef.h>
#include <stdint.h>

typedef uint8_t BYTE, *PBYTE, *LPBYTE;
typedef uint16_t WORD, *PWORD, *LPWORD;
typedef uint32_t DWORD, *PDWORD, *LPDWORD;
typedef int32_t LONG, *PLONG, *LPLONG;
typedef uint32_t ULONG, *PULONG;
typedef uint64_t ULONGLONG, ULONG64, DWORD64;
typedef int16_t SHORT;
typedef uint16_t USHORT;
typedef int INT, *PINT, *LPINT;
typedef unsigned int UINT;
typedef char CHAR;
typedef unsigned char UCHAR;
typedef CHAR *LPSTR, *PSTR;
typedef const CHAR *LPCSTR, *PCSTR;
/*
 * WCHAR is the compiler's wchar_t, so that L"..." literals and the wide
 * C library work unchanged: 32 bits on Linux where Windows has 16.  The W
 * functions take and return strings of wchar_t.
 */
typedef wchar_t WCHAR, *PWCHAR;
typedef WCHAR *LPWSTR, *PWSTR;
typedef const WCHAR *LPCWSTR, *PCWSTR;
typedef void VOID;
typedef int BOOL, *PBOOL, *LPBOOL;
typedef void *PVOID, *LPVOID;
typedef const void *LPCVOID;
typedef void *HANDLE;
typedef int64_t LONGLONG, LONG64, INT64;
typedef uint64_t UINT64;

typedef uintptr_t UINT_PTR, ULONG_PTR, DWORD_PTR;
typedef intptr_t INT_PTR, LONG_PTR;
typedef ULONG_PTR SIZE_T;

/* Windows' GUID, 16 bytes (Data1 is a 32-bit unsigned long on Windows). */
#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
	uint32_t Data1;
	uint16_t Data2;
	uint16_t Data3;
	uint8_t Data4[8];
} GUID, *LPGUID;
#endif

#ifndef TRUE
#define TRUE	1
#endif
#ifndef FALSE
#define FALSE	0
#endif

/* Calling conventions: there is only one on Linux. */
#ifndef WINAPI
#define WINAPI
#endif
#ifndef CALLBACK
#define CALLBACK
#endif
#ifndef WSAAPI
#define WSAAPI
#endif

/* Guarded: a program (or another Windows-compat header) may define them. */
#ifndef LOBYTE
#define LOBYTE(w)	((BYTE)((DWORD_PTR)(w) & 0xff))
#endif
#ifndef HIBYTE
#define HIBYTE(w)	((BYTE)(((DWORD_PTR)(w) >> 8) & 0xff))
#endif
#ifndef LOWORD
#define LOWORD(l)	((WORD)((DWORD_PTR)(l) & 0xffff))
#endif
#ifndef HIWORD
#define HIWORD(l)	((WORD)(((DWORD_PTR)(l) >> 16) & 0xffff))
#endif
#ifndef MAKEWORD
#define MAKEWORD(lo, hi) \
	((WORD)(((BYTE)((DWORD_PTR)(lo) & 0xff)) | ((WORD)((BYTE)((DWORD_PTR)(hi) & 0xff))) << 8))
#endif
#ifndef MAKELONG
#define MAKELONG(lo, hi) \
	((LONG)(((WORD)((DWORD_PTR)(lo) & 0xffff)) | ((DWORD)((WORD)((DWORD_PTR)(hi) & 0xffff))) << 16))
#endif

#endif /* WSACONNECT_WINTYPES_H */
